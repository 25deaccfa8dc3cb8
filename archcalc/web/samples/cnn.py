"""The course notes' CNN: a 64 x 64 RGB image, one 3 x 3 convolution with 32 filters,
2 x 2 max pooling, then a dense classifier over 10 classes."""
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

model = Sequential()
model.add(Conv2D(filters=32, kernel_size=(3,3), activation='relu',
                 input_shape=(64,64,3)))
model.add(MaxPooling2D(pool_size=(2,2)))
model.add(Flatten())
model.add(Dense(128, activation='relu'))
model.add(Dense(10, activation='softmax'))
