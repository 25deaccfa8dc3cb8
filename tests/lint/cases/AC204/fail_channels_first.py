# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# PyTorch-style (C, H, W) input given to a channels-last Keras model.
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, GlobalAveragePooling2D, Dense

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', padding='same', input_shape=(3, 224, 224)))  # lint-expect: AC204
model.add(MaxPooling2D((2, 2), padding='same'))
model.add(GlobalAveragePooling2D())
model.add(Dense(10, activation='softmax'))
