import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

images = []
labels = []
for i in range(100):
    images.append(np.zeros((64, 64, 3)))
    labels.append(i % 2)
X = np.array(images)
y = np.array(labels)
model = keras.Sequential([
    layers.Conv2D(16, 3, activation='relu', input_shape=(64, 64, 1)),  # lint-expect: AC208
    layers.Flatten(),
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(X, y, epochs=2)
