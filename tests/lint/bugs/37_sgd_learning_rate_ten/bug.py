# Bug report: loss is nan from the first epoch (SGD learning rate 10)
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(16, activation='relu', input_shape=(8,)),
                          keras.layers.Dense(1, activation='sigmoid')])
model.compile(optimizer=keras.optimizers.SGD(10.0), loss='binary_crossentropy')  # lint-expect: AC401
