import random

import keras

act = random.choice(['relu', 'tanh', 'sigmoid'])
m = keras.Sequential([keras.Input((10,)), keras.layers.Dense(16, activation='relu'),
                      keras.layers.Dense(1, activation=act)])
m.compile(optimizer='adam', loss='binary_crossentropy')
