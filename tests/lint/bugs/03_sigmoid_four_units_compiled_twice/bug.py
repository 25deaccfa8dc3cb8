# Bug report: four-class model compiled twice: first compile pairs sigmoid with categorical cross-entropy
import keras
from keras import layers

model = keras.Sequential([layers.Input((30,)), layers.Dense(64, activation='relu'),
                          layers.Dense(4, activation='sigmoid')])  # lint-expect: AC102
model.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
model.summary()
model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])
