"""A GAN written as a class: the combined model (generator, then the frozen critic) is trained last.

Written for the real-program corpus (issue 23). The class builds three models in __init__;
train() alternates the discriminator's and the combined model's train_on_batch, so the model
trained last is `combined`.
"""
import numpy as np
from tensorflow.keras.layers import BatchNormalization, Dense, Input, LeakyReLU
from tensorflow.keras.models import Model, Sequential
from tensorflow.keras.optimizers import Adam


class TinyGAN:
    def __init__(self, n_features=16, latent=4):
        self.n_features = n_features
        self.latent = latent
        opt = Adam(0.0002, 0.5)
        self.discriminator = self.build_discriminator()
        self.discriminator.compile(loss="binary_crossentropy", optimizer=opt, metrics=["accuracy"])
        self.generator = self.build_generator()
        z = Input(shape=(self.latent,))
        fake = self.generator(z)
        self.discriminator.trainable = False
        score = self.discriminator(fake)
        self.combined = Model(z, score)
        self.combined.compile(loss="binary_crossentropy", optimizer=opt)

    def build_generator(self):
        model = Sequential()
        model.add(Dense(32, input_dim=self.latent))
        model.add(LeakyReLU(0.2))
        model.add(BatchNormalization(momentum=0.8))
        model.add(Dense(self.n_features, activation="tanh"))
        z = Input(shape=(self.latent,))
        return Model(z, model(z))

    def build_discriminator(self):
        model = Sequential()
        model.add(Dense(32, input_dim=self.n_features))
        model.add(LeakyReLU(0.2))
        model.add(Dense(1, activation="sigmoid"))
        x = Input(shape=(self.n_features,))
        return Model(x, model(x))

    def train(self, steps, batch=8):
        real = np.random.rand(64, self.n_features)
        for _ in range(steps):
            noise = np.random.normal(0, 1, (batch, self.latent))
            self.discriminator.train_on_batch(real[:batch], np.ones((batch, 1)))
            self.discriminator.train_on_batch(self.generator.predict(noise), np.zeros((batch, 1)))
            self.combined.train_on_batch(noise, np.ones((batch, 1)))


if __name__ == "__main__":
    gan = TinyGAN()
    gan.train(steps=10)
