"""A GAN library in the style of some books: builder functions named generator() and
discriminator(), and a training loop of 200,000 steps whose helper takes a parameter that is also
called `generator` (the model, not the builder): the loop builds nothing, so it is not run, and the
model trained last is the adversarial one."""
import numpy as np
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model


def generator(inputs, image_size=8):
    x = Dense(16, activation="relu")(inputs)
    return Model(inputs, Dense(image_size, activation="tanh")(x), name="generator")


def discriminator(inputs):
    x = Dense(16, activation="relu")(inputs)
    return Model(inputs, Dense(1, activation="sigmoid")(x), name="discriminator")


def plot_images(generator, noise_input, step=0):
    images = generator.predict(noise_input)
    rows = int(np.sqrt(images.shape[0]))
    return rows, step


def train(models, train_steps):
    generator, discriminator, adversarial = models
    noise_input = np.random.uniform(-1.0, 1.0, size=[16, 4])
    for i in range(train_steps):
        noise = np.random.uniform(-1.0, 1.0, size=[32, 4])
        fake = generator.predict(noise)
        discriminator.train_on_batch(fake, np.zeros([32, 1]))
        adversarial.train_on_batch(noise, np.ones([32, 1]))
        if (i + 1) % 500 == 0:
            plot_images(generator, noise_input=noise_input, step=i + 1)


z = Input(shape=(4,))
gen = generator(z)
img = Input(shape=(8,))
disc = discriminator(img)
disc.compile(loss="binary_crossentropy", optimizer="adam")
disc.trainable = False
adv = Model(z, disc(gen(z)), name="adversarial")
adv.compile(loss="binary_crossentropy", optimizer="adam")
train((gen, disc, adv), 200000)
