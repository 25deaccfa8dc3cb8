import numpy as np
from sklearn.model_selection import train_test_split
from tensorflow import keras
from tensorflow.keras import layers

X = np.random.rand(1000, 12)
y = np.random.rand(1000, 2)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2)
model = keras.Sequential([
    layers.Dense(64, activation="relu", input_shape=(12,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),  # lint-expect: AC111
])
model.compile(optimizer="adam", loss=keras.losses.Huber())
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=20)
