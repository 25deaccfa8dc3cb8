"""A tiny patch-mixer on CIFAR-10 written with keras.ops on tensors (Keras 3)."""
import keras
from keras import layers, ops

image_size = 32
patch_size = 4
num_patches = (image_size // patch_size) ** 2
hidden = 64

inputs = keras.Input(shape=(image_size, image_size, 3))
x = layers.Conv2D(hidden, patch_size, strides=patch_size)(inputs)      # (8, 8, 64)
x = ops.reshape(x, (-1, num_patches, hidden))                           # (64, 64)
for _ in range(2):
    # token mixing: transpose, mix along patches, transpose back
    y = layers.LayerNormalization()(x)
    y = ops.transpose(y, axes=(0, 2, 1))
    y = layers.Dense(num_patches, activation="gelu")(y)
    y = ops.transpose(y, axes=(0, 2, 1))
    x = x + y
    # channel mixing
    y = layers.LayerNormalization()(x)
    y = layers.Dense(hidden * 2, activation="gelu")(y)
    y = layers.Dense(hidden)(y)
    x = x + y
x = ops.mean(x, axis=1)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="mixer")

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train / 255.0, y_train, epochs=5, batch_size=256)
