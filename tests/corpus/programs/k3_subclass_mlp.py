"""MNIST with a subclassed model (Keras 3)."""
import keras
from keras import layers


class MLP(keras.Model):
    def __init__(self, hidden=256, num_classes=10, dropout=0.2, **kwargs):
        super().__init__(**kwargs)
        self.flatten = layers.Flatten()
        self.hidden1 = layers.Dense(hidden, activation="relu")
        self.drop = layers.Dropout(dropout)
        self.hidden2 = layers.Dense(hidden // 2, activation="relu")
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.flatten(inputs)
        x = self.hidden1(x)
        x = self.drop(x, training=training)
        x = self.hidden2(x)
        return self.classifier(x)


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = MLP(hidden=512)
model.build((None, 28, 28))
model.summary()

model.compile(
    optimizer=keras.optimizers.RMSprop(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["sparse_categorical_accuracy"],
)
model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.2)
results = model.evaluate(x_test, y_test, batch_size=128)
print("test loss, test acc:", results)
