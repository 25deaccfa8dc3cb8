import numpy as np
from tensorflow import keras

features = np.random.rand(200, 12)
labels = np.random.randint(0, 3, size=200)

net = keras.Sequential()
net.add(keras.layers.Dense(16, activation="relu", input_shape=(12,)))
net.add(keras.layers.Dense(3, activation="softmax"))
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
loss, acc = net.evaluate(features, labels)
print(loss, acc)
