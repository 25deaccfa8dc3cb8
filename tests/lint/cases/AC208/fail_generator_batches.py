import numpy as np
from tensorflow import keras


def batches(batch_size=32):
    while True:
        x = np.random.rand(batch_size, 32, 32, 3)
        y = np.random.randint(0, 10, size=(batch_size,))
        yield x, y

model = keras.Sequential([
    keras.layers.Conv2D(16, 3, activation='relu', input_shape=(64, 64, 3)),  # lint-expect: AC208
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
model.fit(batches(), steps_per_epoch=10, epochs=2)
