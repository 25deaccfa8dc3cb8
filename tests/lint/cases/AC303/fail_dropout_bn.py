# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Conv2D, Dropout, BatchNormalization, GlobalAveragePooling2D, Dense

model = Sequential()
model.add(Conv2D(32, 3, activation='relu', input_shape=(32, 32, 3)))
model.add(Dropout(0.25))  # lint-expect: AC303
model.add(BatchNormalization())
model.add(GlobalAveragePooling2D())
model.add(Dense(10, activation='softmax'))
