# Fixed: binary classifier always outputs 1.0
from tensorflow import keras

model = keras.Sequential()
model.add(keras.layers.Dense(32, activation='relu', input_shape=(10,)))
model.add(keras.layers.Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
