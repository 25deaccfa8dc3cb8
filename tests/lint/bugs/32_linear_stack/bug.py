# Bug report: deep MLP no better than logistic regression (no activations)
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(128, input_shape=(30,)),
    keras.layers.Dense(64),  # lint-expect: AC305
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy')
