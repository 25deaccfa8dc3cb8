# Fixed: fashion-MNIST: linear output with sparse_categorical_crossentropy trains badly
from tensorflow import keras

(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation='relu'),
    keras.layers.Dense(10),
])
model.compile(optimizer='adam', loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=['accuracy'])
model.fit(x_train, y_train, epochs=10)
