# Bug report: input_shape=x_train.shape: expected 4 dimensions, got 3
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
model = keras.Sequential()
model.add(layers.Flatten(input_shape=x_train.shape))  # lint-expect: AC207
model.add(layers.Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x_train, y_train, epochs=2)
