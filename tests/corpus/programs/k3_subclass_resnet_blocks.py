"""A subclassed residual network: blocks are custom layers kept in a list (Keras 3)."""
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.relu = layers.ReLU()

    def call(self, inputs, training=None):
        x = self.relu(self.bn1(self.conv1(inputs), training=training))
        x = self.bn2(self.conv2(x), training=training)
        return self.relu(x + inputs)


class SmallResNet(keras.Model):
    def __init__(self, num_classes=10, filters=32, num_blocks=3):
        super().__init__()
        self.stem = keras.Sequential([
            layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
        ])
        self.blocks = [ResidualBlock(filters) for _ in range(num_blocks)]
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x, training=None):
        x = self.stem(x, training=training)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(self.pool(x))


(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = SmallResNet(num_classes=10)
model.build(input_shape=(None, 32, 32, 3))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=10, batch_size=128, validation_data=(x_test, y_test))
