# The same head model ending in one sigmoid unit.
import keras
from keras import layers

base = keras.Sequential([layers.Input((64, 64, 3)), layers.Conv2D(16, 3, activation='relu'),
                         layers.MaxPooling2D(2), layers.Conv2D(32, 3, activation='relu')], name='base')
base.trainable = False

head = keras.Sequential(name='head')
head.add(layers.GlobalAveragePooling2D())
head.add(layers.Dense(64, activation='relu'))
head.add(layers.Dense(1, activation='sigmoid'))

inputs = keras.Input((64, 64, 3))
model = keras.Model(inputs, head(base(inputs)))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
