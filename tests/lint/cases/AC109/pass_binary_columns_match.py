# Ten sigmoid units for labels with ten columns (several tags per sample).
import keras
import numpy as np

feats = np.random.rand(256, 32)
tags = np.random.randint(0, 2, size=(256, 10))
model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(64, activation='relu'),
                          keras.layers.Dense(10, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(feats, tags, epochs=2)
