"""A Keras 2 script that kept Keras 1 arguments: Conv2D(8, 5, 5, border_mode=...).

Keras 2's legacy interface read the two integers after the filters as the kernel size.
"""
from keras.layers import Dense, Flatten, MaxPooling2D
from keras.layers.convolutional import Conv2D
from keras.models import Sequential

model = Sequential()
model.add(Conv2D(8, 5, 5, border_mode="valid", input_shape=(28, 28, 1), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(16, 3, 3, border_mode="same", activation="relu"))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adadelta", metrics=["accuracy"])
