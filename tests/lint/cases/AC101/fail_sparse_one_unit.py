# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "accuracy stuck, loss is 0.0000": sparse categorical cross-entropy on one output unit.
import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation='relu', input_shape=(30,)),
    tf.keras.layers.Dense(1),  # lint-expect: AC101
])
model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
