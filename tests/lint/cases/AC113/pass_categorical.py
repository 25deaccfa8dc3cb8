from tensorflow import keras
from tensorflow.keras.utils import to_categorical

(x_train, y_train), _ = keras.datasets.cifar10.load_data()
y_train = to_categorical(y_train)
model = keras.Sequential([keras.layers.Flatten(input_shape=(32, 32, 3)),
                          keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=10)
