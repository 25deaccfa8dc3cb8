# Fixed: binary classifier with sparse_categorical_crossentropy predicts only class 0
import numpy as np
from tensorflow import keras

x = np.random.rand(500, 8)
y = np.random.randint(0, 2, size=(500,))
model = keras.Sequential()
model.add(keras.layers.Dense(12, input_dim=8, activation='relu'))
model.add(keras.layers.Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x, y, epochs=20, batch_size=10)
