"""A GAN-style training loop of a million iterations around train_on_batch.

Written for the real-program corpus (issue 23, second set): the loop only trains (a million rounds of train_on_batch);
the model is built before it.
"""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

critic = keras.Sequential([keras.Input((16,)), layers.Dense(32, activation="relu"), layers.Dense(1)])
critic.compile(optimizer="rmsprop", loss="mse")

n_iterations, n_critic, batch_size = int(1e6), 5, 64
for i in range(n_iterations):
    for _ in range(n_critic):
        x = np.random.normal(size=(batch_size, 16))
        critic.train_on_batch(x, np.ones((batch_size, 1)))
