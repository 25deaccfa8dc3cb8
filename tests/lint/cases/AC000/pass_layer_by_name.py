from tensorflow import keras

model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(4),
])
model.compile(optimizer="adam", loss="mse")
