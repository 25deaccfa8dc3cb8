from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rescale=1. / 255)
train = datagen.flow_from_directory('data/train', target_size=(48, 48), color_mode='grayscale', batch_size=64, class_mode='categorical')
model = Sequential()
model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(48, 48, 3)))  # lint-expect: AC208
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(7, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(train, epochs=10)
