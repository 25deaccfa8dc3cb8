"""A Sequential without an input whose layers are called one by one on a tensor.

Written for the real-program corpus (issue 23, second set): the layers are built by the loop over a (1, 64, 64, 1)
tensor, and fit's data is resized to 64 x 64 in the code: every size is in the program.
"""
import tensorflow as tf

net = tf.keras.models.Sequential([
    tf.keras.layers.Conv2D(filters=6, kernel_size=5, strides=2, activation="relu"),
    tf.keras.layers.MaxPool2D(pool_size=3, strides=2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(10),
])
X = tf.random.uniform((1, 64, 64, 1))
for layer in net.layers:
    X = layer(X)
    print(layer.name, "output shape:", X.shape)

(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = tf.image.resize_with_pad(x_train[:256, :, :, None] / 255.0, 64, 64)
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(x_train, y_train[:256], epochs=1, batch_size=64)
