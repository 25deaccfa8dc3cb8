# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense

model = Sequential()
model.add(Conv2D(16, 3, strides=2, activation='relu', input_shape=(32, 32, 3)))  # lint-expect: AC202
model.add(GlobalAveragePooling2D())
model.add(Dense(10, activation='softmax'))
