# Bug report: MLP widens toward the output: 16 -> 1024 -> 10
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(16, activation='relu', input_shape=(784,)),
    keras.layers.Dense(1024, activation='relu'),  # lint-expect: AC313
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy')
