"""A VAE whose sampling Lambda draws noise of a fixed batch: K.random_normal(shape=(m, n_z)).

Written for the real-program corpus (issue 23, second set): the noise's batch of 50 becomes the
batch axis of the Lambda and of every layer after it, so the model's output is (50, 784).
"""
import numpy as np
from keras import backend as K
from keras.layers import Dense, Input, Lambda
from keras.models import Model

m, n_z = 50, 2


def sample_z(args):
    mu, log_sigma = args
    eps = K.random_normal(shape=(m, n_z), mean=0.0, stddev=1.0)
    return mu + K.exp(log_sigma / 2) * eps


inputs = Input(shape=(784,))
h = Dense(64, activation="relu")(inputs)
mu = Dense(n_z)(h)
log_sigma = Dense(n_z)(h)
z = Lambda(sample_z)([mu, log_sigma])
outputs = Dense(784, activation="sigmoid")(Dense(64, activation="relu")(z))

vae = Model(inputs, outputs)
vae.compile(optimizer="adam", loss="binary_crossentropy")
vae.fit(np.zeros((500, 784)), np.zeros((500, 784)), batch_size=m, epochs=1)
