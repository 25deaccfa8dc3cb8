# Issue: "accuracy stuck at 0.25" - the model is compiled twice; the first compile trains.
import keras
from keras import layers

model = keras.Sequential([layers.Input((20,)), layers.Dense(32, activation='relu'),
                          layers.Dense(4, activation='sigmoid')])  # lint-expect: AC102
model.compile(optimizer='adam', loss='categorical_crossentropy')
model.compile(optimizer='adam', loss='binary_crossentropy')
