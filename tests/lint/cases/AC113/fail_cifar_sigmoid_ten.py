# "95% accuracy on CIFAR-10 after one epoch, but predictions are garbage"
from tensorflow import keras
from tensorflow.keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
y_train = to_categorical(y_train)
model = keras.Sequential()
model.add(keras.layers.Conv2D(32, 3, activation='relu', input_shape=(32, 32, 3)))
model.add(keras.layers.MaxPooling2D())
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(10, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])  # lint-expect: AC113
model.fit(x_train, y_train, epochs=10)
