# Bug report: softmax in a hidden layer: training stalls
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(64, activation='softmax', input_shape=(20,)),  # lint-expect: AC306
    keras.layers.Dense(3, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy')
