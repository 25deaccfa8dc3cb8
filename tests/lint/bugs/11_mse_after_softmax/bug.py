# Bug report: classification trained with mean squared error converges slowly
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
y_train = keras.utils.to_categorical(y_train)
model = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(64, activation='relu'),
                          layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='mean_squared_error', metrics=['accuracy'])  # lint-expect: AC107
model.fit(x_train, y_train, epochs=3)
