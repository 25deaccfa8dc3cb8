from tensorflow import keras

model = keras.Sequential([  # lint-expect: AC000
    keras.Input(shape=(8,)),
    eval("keras.layers.Dense")(4),
])
model.compile(optimizer="adam", loss="mse")
