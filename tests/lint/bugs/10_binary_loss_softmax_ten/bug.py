# Bug report: reported accuracy 0.90 but predictions are wrong (binary_crossentropy on softmax over 10)
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
y_train = keras.utils.to_categorical(y_train)
model = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(64, activation='relu'),
                          layers.Dense(10, activation='softmax')])
model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy'])  # lint-expect: AC106
model.fit(x_train, y_train, epochs=3)
