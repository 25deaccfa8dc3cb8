import keras
from keras import layers

(images, digits), _ = keras.datasets.mnist.load_data()
targets = keras.utils.to_categorical(digits)
inp = keras.Input((28, 28))
out = layers.Dense(5, activation="sigmoid")(layers.Flatten()(inp))  # lint-expect: AC109
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy())
model.fit(images, targets, epochs=1)
