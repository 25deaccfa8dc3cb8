# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "multi-class model only predicts one class": sigmoid outputs with categorical cross-entropy.
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential()
model.add(layers.Dense(128, activation='relu', input_shape=(784,)))
model.add(layers.Dense(10, activation='sigmoid'))  # lint-expect: AC102
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
