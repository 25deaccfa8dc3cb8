# Fixed: all hidden units learn the same weights (kernel_initializer='zeros')
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(32, activation='relu', kernel_initializer='he_normal', input_shape=(10,)),
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='sgd', loss='binary_crossentropy')
