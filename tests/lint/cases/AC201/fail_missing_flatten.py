# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "ValueError: Shapes (None, 10) and (None, 13, 13, 10) are incompatible": no Flatten.
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dense

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dense(10, activation='softmax'))  # lint-expect: AC201
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
