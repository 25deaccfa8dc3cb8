"""A time-series RNN whose input length is an attribute set on an experiment tracker's config.

Written for the real-program corpus (issue 23): `config = wandb.config` (a library archcalc
does not know), `config.look_back = 4`, then `input_shape=(config.look_back, 1)`.
"""
import numpy as np
import tensorflow as tf
import wandb

wandb.init()
config = wandb.config
config.look_back = 4
config.epochs = 10

series = np.sin(np.arange(200) / 8.0)
trainX = np.stack([series[i:i + config.look_back] for i in range(150)])[:, :, None]
trainY = series[config.look_back:150 + config.look_back]

model = tf.keras.models.Sequential()
model.add(tf.keras.layers.SimpleRNN(5, input_shape=(config.look_back, 1)))
model.add(tf.keras.layers.Dense(1, activation="sigmoid"))
model.compile(loss="mae", optimizer="rmsprop")
model.fit(trainX, trainY, epochs=config.epochs, batch_size=20)
