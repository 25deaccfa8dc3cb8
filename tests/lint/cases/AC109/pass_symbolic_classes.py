# the number of classes comes from data archcalc cannot see: nothing to compare
import numpy as np
from tensorflow import keras

data = np.load("train.npz")
x, y = data["x"], data["y"]
num_classes = len(np.unique(y))
model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(x.shape[1],)),
                          keras.layers.Dense(num_classes, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x, y, epochs=5)
