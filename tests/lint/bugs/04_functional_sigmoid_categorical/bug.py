# Bug report: functional model: multi-class output with sigmoid, accuracy stuck around 30 %
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(64,))
x = layers.Dense(128, activation='relu')(inputs)
outputs = layers.Dense(5, activation='sigmoid')(x)  # lint-expect: AC102
model = keras.Model(inputs, outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
