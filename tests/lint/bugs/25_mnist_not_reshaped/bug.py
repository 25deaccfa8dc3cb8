# Bug report: expected dense_input to have 2 dimensions, but got array with shape (60000, 28, 28)
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype('float32') / 255
model = keras.Sequential()
model.add(layers.Dense(512, activation='relu', input_shape=(784,)))  # lint-expect: AC208
model.add(layers.Dense(10, activation='softmax'))
model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, batch_size=128)
