"""A Sequential without an input, built by fit: Keras 3 keeps fit's batch in its shapes.

Written for the real-program corpus (issue 23, second set): Keras 3 builds the model on fit's first batch (32 by
default), and that batch stays in every shape of the model.
"""
import tensorflow as tf

(x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
x_train = x_train / 255.0
model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(128, activation=tf.nn.relu),
    tf.keras.layers.Dense(10, activation=tf.nn.softmax),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=5)
