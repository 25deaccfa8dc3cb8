import keras
from keras import layers

model = keras.Sequential([layers.Input((784,)), layers.Dense(128, activation='relu'),
                          layers.Dense(10, activation='relu')])  # lint-expect: AC104
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
