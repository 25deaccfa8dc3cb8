from tensorflow import keras

(x_train, y_train), _ = keras.datasets.boston_housing.load_data()
x_train = x_train.reshape(-1, 13, 1)
model = keras.Sequential([
    keras.layers.Conv1D(16, 3, activation='relu', input_shape=(13, 1)),
    keras.layers.Dense(1),  # lint-expect: AC201
])
model.compile(optimizer='adam', loss='mse')
model.fit(x_train, y_train, epochs=10)
