# Several tags per sample (multi-hot targets): binary cross-entropy is the right loss.
import keras
import numpy as np

x = np.random.rand(500, 40)
tags = np.random.randint(0, 2, size=(500, 6))
model = keras.Sequential([keras.Input((40,)), keras.layers.Dense(32, activation='relu'),
                          keras.layers.Dense(6, activation='sigmoid')])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['binary_accuracy'])
model.fit(x, tags, epochs=5)
