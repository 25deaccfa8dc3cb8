"""A VAE script in the style of Keras 2 examples: the model it trains is built in the middle.

Which model: `vae` is fitted inside the `else:` of `if args.weights:` (argparse default None);
after it the script builds an inference model it only saves. archcalc reads the one trained last.
"""
import argparse

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("-w", "--weights", help="load trained weights instead of training")
args = parser.parse_args()

original_dim = 784
latent_dim = 2

inputs = keras.Input(shape=(original_dim,), name="encoder_input")
h = layers.Dense(64, activation="relu")(inputs)
z_mean = layers.Dense(latent_dim, name="z_mean")(h)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
encoder = keras.Model(inputs, [z_mean, z_log_var, z_mean], name="encoder")

latent_inputs = keras.Input(shape=(latent_dim,), name="z_sampling")
d = layers.Dense(64, activation="relu")(latent_inputs)
outputs = layers.Dense(original_dim, activation="sigmoid")(d)
decoder = keras.Model(latent_inputs, outputs, name="decoder")

outputs = decoder(encoder(inputs)[2])
vae = keras.Model(inputs, outputs, name="vae_mlp")
vae.compile(optimizer="adam", loss="binary_crossentropy")

if args.weights:
    vae.load_weights(args.weights)
else:
    x_train = np.random.rand(256, original_dim).astype("float32")
    vae.fit(x_train, x_train, epochs=2, batch_size=32)
    vae.save_weights("vae_mlp.weights.h5")

# an inference model built after training, saved but never trained
probe_in = keras.Input(shape=(original_dim,), name="probe_input")
probe = keras.Model(probe_in, layers.Dense(10)(probe_in), name="probe")
probe.save("probe.keras")
