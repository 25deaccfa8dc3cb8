from keras.utils import to_categorical
from tensorflow import keras

(x_train, y_train), _ = keras.datasets.mnist.load_data()
y_train = to_categorical(y_train, 10)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.flat = keras.layers.Flatten()
        self.out = keras.layers.Dense(10, activation='softmax')

    def call(self, x):
        return self.out(self.flat(x))


model = Net()
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')  # lint-expect: AC108
model.fit(x_train, y_train, epochs=3)
