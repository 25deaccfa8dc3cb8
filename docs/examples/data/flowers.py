# TensorFlow's image classification tutorial, in short: the photos are in flower_photos/,
# one folder per class (this example keeps the folders, not the photos: archcalc reads only
# their names).
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

img_height, img_width = 180, 180
train_ds = keras.utils.image_dataset_from_directory(
    "flower_photos", validation_split=0.2, subset="training", seed=123,
    image_size=(img_height, img_width), batch_size=32)
class_names = train_ds.class_names
normalization_layer = layers.Rescaling(1.0 / 255)
train_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))
train_ds = train_ds.cache().shuffle(1000).prefetch(buffer_size=tf.data.AUTOTUNE)

model = keras.Sequential([
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(len(class_names)),
])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(train_ds, epochs=10)
