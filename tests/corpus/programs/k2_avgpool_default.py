"""A Keras 2 CNN whose pooling layers use their defaults (Keras 2: pool_size=(2, 2)).

Written for the real-program corpus (issue 23): Keras 3 made AveragePooling2D's pool_size
required; a Keras 2 file that leaves it out means (2, 2).
"""
from keras.datasets import cifar10
from keras.layers import AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.utils import np_utils

(x_train, y_train), _ = cifar10.load_data()
y_train = np_utils.to_categorical(y_train, 10)

model = Sequential()
model.add(Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=x_train.shape[1:]))
model.add(AveragePooling2D())
model.add(Conv2D(32, (3, 3), activation="relu"))
model.add(MaxPooling2D())
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train / 255.0, y_train, batch_size=64, nb_epoch=2)
