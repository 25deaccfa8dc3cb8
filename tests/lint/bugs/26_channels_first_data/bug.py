# Bug report: cifar10 transposed to channels-first for a channels-last model
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
x_train = x_train.transpose(0, 3, 1, 2)
model = keras.Sequential([
    layers.Conv2D(32, 3, activation='relu', input_shape=(32, 32, 3)),  # lint-expect: AC208
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x_train, y_train, epochs=5)
