from tensorflow.python.keras.models import Sequential
from tensorflow.python.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout
from tensorflow.python.keras.preprocessing.image import ImageDataGenerator
from tensorflow.python.keras.callbacks import TensorBoard

IMG_SIZE = 64
BATCH = 32

train_datagen = ImageDataGenerator(rescale=1. / 255, shear_range=0.2, zoom_range=0.2, horizontal_flip=True)
test_datagen = ImageDataGenerator(rescale=1. / 255)
training_set = train_datagen.flow_from_directory('dataset/training_set', target_size=(IMG_SIZE, IMG_SIZE),
                                                 batch_size=BATCH, class_mode='binary')
test_set = test_datagen.flow_from_directory('dataset/test_set', target_size=(IMG_SIZE, IMG_SIZE),
                                            batch_size=BATCH, class_mode='binary')

classifier = Sequential()
classifier.add(Conv2D(32, (3, 3), input_shape=(IMG_SIZE, IMG_SIZE, 3), activation='relu'))
classifier.add(MaxPooling2D(pool_size=(2, 2)))
classifier.add(Conv2D(32, (3, 3), activation='relu'))
classifier.add(MaxPooling2D(pool_size=(2, 2)))
classifier.add(Flatten())
classifier.add(Dense(units=128, activation='relu'))
classifier.add(Dropout(0.5))
classifier.add(Dense(units=1, activation='sigmoid'))
classifier.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])

tb = TensorBoard(log_dir='./logs')
classifier.fit_generator(training_set, steps_per_epoch=8000 // BATCH, epochs=25,
                         validation_data=test_set, validation_steps=2000 // BATCH, callbacks=[tb])
classifier.save('cats_dogs.h5')
