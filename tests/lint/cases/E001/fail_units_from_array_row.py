import keras
import numpy as np

rows = np.random.rand(100, 5)
m = keras.Sequential()
m.add(keras.layers.Dense(rows[0], activation='relu'))  # lint-expect: E001
m.add(keras.layers.Dense(1, activation='sigmoid'))
m.compile(optimizer='adam', loss='binary_crossentropy')
m.fit(rows, np.random.randint(0, 2, 100), epochs=1)
