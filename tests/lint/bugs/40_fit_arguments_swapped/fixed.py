# Fixed: training takes forever: fit(x, y, 32, 100000) puts 100000 in epochs
from tensorflow import keras

(x_train, y_train), _ = keras.datasets.boston_housing.load_data()
model = keras.Sequential([keras.layers.Dense(32, activation='relu', input_shape=(13,)),
                          keras.layers.Dense(1)])
model.compile(optimizer='adam', loss='mae')
model.fit(x_train, y_train, batch_size=32, epochs=100)
