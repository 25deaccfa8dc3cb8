from keras.layers import Conv2D, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential

model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(64, 64, 3)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())  # lint-expect: AC112
model.add(Dropout(0.5))
model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
