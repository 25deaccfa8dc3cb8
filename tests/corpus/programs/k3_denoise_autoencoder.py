"""Denoising convolutional autoencoder on MNIST (Keras 3)."""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers


def preprocess(array):
    array = array.astype("float32") / 255.0
    array = np.reshape(array, (len(array), 28, 28, 1))
    return array


def noise(array, factor=0.4):
    noisy = array + factor * np.random.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy, 0.0, 1.0)


def display(array1, array2, n=10):
    idx = np.random.randint(len(array1), size=n)
    plt.figure(figsize=(20, 4))
    for i, (a, b) in enumerate(zip(array1[idx, :], array2[idx, :])):
        ax = plt.subplot(2, n, i + 1)
        plt.imshow(a.reshape(28, 28))
        ax.axis("off")
        ax = plt.subplot(2, n, i + 1 + n)
        plt.imshow(b.reshape(28, 28))
        ax.axis("off")
    plt.show()


(train_data, _), (test_data, _) = keras.datasets.mnist.load_data()
train_data = preprocess(train_data)
test_data = preprocess(test_data)
noisy_train_data = noise(train_data)
noisy_test_data = noise(test_data)

input = layers.Input(shape=(28, 28, 1))
# encoder
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
# decoder
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(input, x)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()
autoencoder.fit(noisy_train_data, train_data, epochs=10, batch_size=128, shuffle=True,
                validation_data=(noisy_test_data, test_data))
display(noisy_test_data, autoencoder.predict(noisy_test_data))
