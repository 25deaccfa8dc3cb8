"""A tf2 tutorial style that binds the model to an attribute of the tensorflow module.

Written for the real-program corpus (issue 23): `tf.model = tf.keras.Sequential()` then
`tf.model.add(...)`, `tf.model.fit(...)`.
"""
import numpy as np
import tensorflow as tf

x_data = np.array([[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5]], dtype=np.float32)
y_data = np.array([[0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 0]], dtype=np.float32)

tf.model = tf.keras.Sequential()
tf.model.add(tf.keras.layers.Dense(units=8, input_dim=4, activation="relu"))
tf.model.add(tf.keras.layers.Dense(units=3, activation="softmax"))
tf.model.compile(loss="categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(learning_rate=0.1))
tf.model.summary()
history = tf.model.fit(x_data, y_data, epochs=20)
print(tf.model.predict(np.array([[1, 11, 7, 9]])))
