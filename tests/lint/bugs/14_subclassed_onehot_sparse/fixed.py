# Fixed: subclassed model: one-hot labels with the sparse loss
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
y_train = keras.utils.to_categorical(y_train, 10)


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(64, activation='relu')
        self.out = layers.Dense(10, activation='softmax')

    def call(self, x):
        return self.out(self.hidden(self.flatten(x)))


model = Classifier()
model.compile(optimizer='adam', loss='categorical_crossentropy')
model.fit(x_train, y_train, epochs=3)
