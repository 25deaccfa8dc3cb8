from tensorflow import keras

(x_train, y_train), _ = keras.datasets.boston_housing.load_data()
model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(13,)),
                          keras.layers.Dense(1)])
model.compile(optimizer='adam', loss='mse')
model.fit(x_train, y_train, batch_size=1000, epochs=50)  # lint-expect: AC402
