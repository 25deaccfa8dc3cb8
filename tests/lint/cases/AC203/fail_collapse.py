# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential()
model.add(Conv2D(32, 3, padding='same', activation='relu', input_shape=(32, 32, 3)))
model.add(MaxPooling2D(2))
model.add(Conv2D(64, 3, padding='same', activation='relu'))
model.add(MaxPooling2D(2))
model.add(Conv2D(64, 3, padding='same', activation='relu'))
model.add(MaxPooling2D(8))  # lint-expect: AC203
model.add(Conv2D(128, 3, padding='same', activation='relu'))
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
