# Bug report: ValueError: Shape mismatch (one-hot labels with sparse_categorical_crossentropy)
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
y_train = to_categorical(y_train)
model = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(128, activation='relu'),
                          layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])  # lint-expect: AC108
model.fit(x_train, y_train, epochs=5, batch_size=128)
