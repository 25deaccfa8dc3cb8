# Bug report: Conv2D with kernel 5 on a 4x4 input: negative dimension size
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Conv2D(8, 3, activation='relu', input_shape=(8, 8, 1)),
    keras.layers.MaxPooling2D(2),
    keras.layers.Conv2D(16, 5, activation='relu'),  # lint-expect: E002
    keras.layers.Flatten(),
    keras.layers.Dense(2, activation='softmax'),
])
