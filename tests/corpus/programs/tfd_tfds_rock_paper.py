# A tensorflow_datasets notebook style: rock_paper_scissors from tfds, resized in a map, one-hot
# labels, a Sequential without an input shape fitted on the batches.
import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow import keras

(ds_train, ds_test), ds_info = tfds.load(
    "rock_paper_scissors", split=["train", "test"], shuffle_files=True, as_supervised=True, with_info=True)
NUM_CLASSES = ds_info.features["label"].num_classes
IMG_SIZE = 150


def format_example(image, label):
    image = tf.cast(image, tf.float32) / 255.0
    image = tf.image.resize(image, (IMG_SIZE, IMG_SIZE))
    return image, tf.one_hot(label, NUM_CLASSES)


ds_train = ds_train.map(format_example, num_parallel_calls=tf.data.AUTOTUNE).cache().shuffle(1000)
ds_train = ds_train.batch(64).prefetch(tf.data.AUTOTUNE)
ds_test = ds_test.map(format_example).batch(64)

for image_batch, label_batch in ds_train.take(1):
    print(image_batch.shape, label_batch.shape)

model = keras.Sequential([
    keras.layers.Conv2D(16, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(32, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(64, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(NUM_CLASSES, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(ds_train, validation_data=ds_test, epochs=10)
