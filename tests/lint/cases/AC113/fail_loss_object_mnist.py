import keras
from keras import layers

(train_x, train_y), _ = keras.datasets.mnist.load_data()
train_y = keras.utils.to_categorical(train_y, num_classes=10)

inp = keras.Input(shape=(28, 28))
h = layers.Flatten()(inp)
h = layers.Dense(256, activation="relu")(h)
probs = layers.Dense(10, activation="sigmoid")(h)
clf = keras.Model(inp, probs)
clf.compile(loss=keras.losses.BinaryCrossentropy(),  # lint-expect: AC113
            optimizer="sgd", metrics=["accuracy"])
clf.fit(train_x, train_y, batch_size=64, epochs=5)
