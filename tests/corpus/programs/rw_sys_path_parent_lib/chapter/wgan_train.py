"""A chapter script that imports the book's shared builders after sys.path.append("..").

Written for the real-program corpus (issue 23): the builders live in ../shared/nets.py; the
model trained last is the adversarial model (generator, then the frozen critic).
"""
import sys

import numpy as np
from tensorflow.keras.layers import Input
from tensorflow.keras.models import Model

sys.path.append("..")
from shared import nets  # noqa: E402

N_FEATURES, LATENT = 20, 5

critic = nets.critic(Input(shape=(N_FEATURES,)))
critic.compile(loss="mse", optimizer="rmsprop")
gen_in = Input(shape=(LATENT,))
generator = nets.generator(gen_in, N_FEATURES)
critic.trainable = False
adversarial = Model(gen_in, critic(generator(gen_in)), name="adversarial")
adversarial.compile(loss="mse", optimizer="rmsprop")

for step in range(3):
    noise = np.random.normal(size=(8, LATENT))
    critic.train_on_batch(np.random.rand(8, N_FEATURES), np.ones((8, 1)))
    adversarial.train_on_batch(noise, np.ones((8, 1)))
