# Fixed: Boston housing: accuracy is 0.0 although the loss decreases
from tensorflow import keras

(x_train, y_train), _ = keras.datasets.boston_housing.load_data()
model = keras.Sequential([
    keras.layers.Dense(64, activation='relu', input_shape=(13,)),
    keras.layers.Dense(64, activation='relu'),
    keras.layers.Dense(1),
])
model.compile(optimizer='rmsprop', loss='mse', metrics=['mae'])
model.fit(x_train, y_train, epochs=100, batch_size=16)
