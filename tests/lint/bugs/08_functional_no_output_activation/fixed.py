# Fixed: functional CNN classifier forgot the softmax
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
inp = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, activation='relu')(inp)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
out = layers.Dense(10, activation='softmax')(x)
model = keras.Model(inp, out)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5)
