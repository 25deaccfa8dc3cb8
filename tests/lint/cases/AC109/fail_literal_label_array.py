import keras
import numpy as np

feats = np.array([[0.1, 1.0], [0.4, 0.0], [0.9, 1.0], [0.3, 0.5], [0.7, 0.2], [0.2, 0.9]])
kind = np.array([[0], [1], [2], [0], [1], [2]])
m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation='relu'),
                      keras.layers.Dense(1, activation='sigmoid')])  # lint-expect: AC109
m.compile('adam', 'binary_crossentropy')
m.fit(feats, kind, epochs=10)
