"""VGG-style blocks in a Sequential built without an input; each block is called on a tensor.

Written for the real-program corpus (issue 23, second set): the d2l idiom `for blk in net.layers: X = blk(X)`
builds every block on a (1, 32, 32, 1) tensor; fit then builds `net` on 64-image batches.
"""
import tensorflow as tf


def conv_block(filters):
    blk = tf.keras.models.Sequential()
    blk.add(tf.keras.layers.Conv2D(filters, kernel_size=3, padding="same", activation="relu"))
    blk.add(tf.keras.layers.MaxPool2D(pool_size=2, strides=2))
    return blk


net = tf.keras.models.Sequential()
for filters in (8, 16):
    net.add(conv_block(filters))
net.add(tf.keras.models.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)]))

X = tf.random.uniform((1, 32, 32, 1))
for blk in net.layers:
    X = blk(X)
    print(blk.name, "output shape:", X.shape)

(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = tf.image.resize_with_pad(x_train[:256, :, :, None] / 255.0, 32, 32)
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(x_train, y_train[:256], epochs=1, batch_size=64)
