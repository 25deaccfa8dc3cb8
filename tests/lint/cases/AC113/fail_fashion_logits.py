# Fashion-MNIST, scores left as logits, binary loss told so: still one class per sample.
import tensorflow as tf

(X, Y), _ = tf.keras.datasets.fashion_mnist.load_data()
Y = tf.keras.utils.to_categorical(Y)
net = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(64, activation='relu'),
    tf.keras.layers.Dense(10),
])
net.compile('adam', tf.keras.losses.BinaryCrossentropy(from_logits=True), ['accuracy'])  # lint-expect: AC113
net.fit(X, Y, epochs=3)
