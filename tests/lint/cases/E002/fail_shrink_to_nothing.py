# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "Negative dimension size caused by subtracting 3 from 1": too many poolings.
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(64, (3, 3), activation='relu'))
model.add(MaxPooling2D((2, 2)))
model.add(Conv2D(128, (3, 3), activation='relu'))  # lint-expect: E002
model.add(Flatten())
model.add(Dense(10, activation='softmax'))
