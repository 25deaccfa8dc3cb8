# CIFAR-10 labels one-hot encoded with a wrong class count, ten sigmoid units.
from tensorflow import keras
from tensorflow.keras.utils import to_categorical

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
n_classes = 30
y_train = to_categorical(y_train, n_classes)
net = keras.Sequential()
net.add(keras.layers.Flatten(input_shape=(32, 32, 3)))
net.add(keras.layers.Dense(10, activation='sigmoid'))  # lint-expect: AC109
net.compile(loss='binary_crossentropy', optimizer='rmsprop')
net.fit(x_train, y_train, epochs=3)
