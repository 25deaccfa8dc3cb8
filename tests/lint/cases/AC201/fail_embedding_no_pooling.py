# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# Text classifier without GlobalAveragePooling1D: one prediction per token.
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Embedding(10000, 16, input_length=200),
    layers.Dense(16, activation='relu'),  # lint-expect: AC201
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
