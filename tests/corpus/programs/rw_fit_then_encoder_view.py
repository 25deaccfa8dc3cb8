"""A dense autoencoder that is trained, then a second model over its first half (the encoder view).

Written for the real-program corpus (issue 23): the model to report is the one the program
trains, not the one it builds last.
"""
import numpy as np
from keras.layers import Dense, Input
from keras.models import Model

signals = np.random.rand(256, 48).astype("float32")

inp = Input(shape=(48,))
h = Dense(24, activation="relu")(inp)
bottleneck = Dense(3, name="bottleneck")(h)
h = Dense(24, activation="relu")(bottleneck)
reconstruction = Dense(48, activation="sigmoid")(h)

autoencoder = Model(inp, reconstruction)
encoder = Model(inp, bottleneck)

autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(signals, signals, epochs=3, batch_size=32)
codes = encoder.predict(signals)
print(codes.shape)
