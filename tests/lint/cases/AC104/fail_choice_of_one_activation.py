import random

import keras

act = random.choice(['relu'])
units = random.choice([1])
m = keras.Sequential([keras.Input((10,)), keras.layers.Dense(16, activation='relu'),
                      keras.layers.Dense(units, activation=act)])  # lint-expect: AC104
m.compile(optimizer='adam', loss='binary_crossentropy')
