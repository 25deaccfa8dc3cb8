import tensorflow as tf
import tensorflow_datasets as tfds

(train, test), info = tfds.load("beans", split=["train", "test"], as_supervised=True, with_info=True)
num_classes = info.features["label"].num_classes


def prepare(image, label):
    image = tf.image.resize(tf.cast(image, tf.float32) / 255.0, (128, 128))
    return image, tf.one_hot(label, num_classes)


train = train.map(prepare).shuffle(1024).batch(32)
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(num_classes, activation="softmax"),
])
model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
model.fit(train, epochs=5)
