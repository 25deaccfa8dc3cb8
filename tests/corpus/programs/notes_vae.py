# Simplified VAE from the course notes, completed so it trains on MNIST.
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.models import Model

INPUT_DIMENSION = 784
LATENT_DIMENSION = 2

(x_train, _), (x_test, _) = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, INPUT_DIMENSION).astype("float32") / 255.0
x_test = x_test.reshape(-1, INPUT_DIMENSION).astype("float32") / 255.0

# encoder: the parameters of a Gaussian, not a point
enc_input = Input(shape=(INPUT_DIMENSION,))
h = Dense(256, activation="relu")(enc_input)
mean = Dense(LATENT_DIMENSION)(h)
logvar = Dense(LATENT_DIMENSION)(h)
encoder = Model(enc_input, [mean, logvar], name="encoder")

# decoder: back from a latent sample
dec_input = Input(shape=(LATENT_DIMENSION,))
h = Dense(256, activation="relu")(dec_input)
dec_output = Dense(INPUT_DIMENSION, activation="sigmoid")(h)
decoder = Model(dec_input, dec_output, name="decoder")


class VAE(tf.keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder  # Encoding neural network
        self.decoder = decoder  # Decoding neural network

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=tf.shape(mean))
        return eps * tf.exp(logvar * 0.5) + mean

    def call(self, x):
        mean, logvar = self.encoder(x)
        z = self.reparameterize(mean, logvar)
        return self.decoder(z)


vae = VAE(encoder, decoder)
vae.compile(optimizer="adam", loss="binary_crossentropy")
vae.fit(x_train, x_train, epochs=10, batch_size=128, validation_data=(x_test, x_test))
