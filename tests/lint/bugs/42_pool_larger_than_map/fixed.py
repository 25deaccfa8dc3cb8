# Fixed: MaxPooling2D(8, padding='same') on a 7x7 map
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Conv2D(32, 3, padding='same', activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D(2),
    layers.MaxPooling2D(2),
    layers.MaxPooling2D(2, padding='same'),
    layers.Flatten(),
    layers.Dense(10, activation='softmax'),
])
