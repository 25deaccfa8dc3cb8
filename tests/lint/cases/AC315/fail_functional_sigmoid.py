import tensorflow as tf
from tensorflow.keras import layers

inputs = tf.keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(16, 3, activation='relu')(inputs)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(1)(x)
x = layers.Dropout(0.5)(x)  # lint-expect: AC315
outputs = layers.Activation('sigmoid')(x)
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer='rmsprop', loss='binary_crossentropy')
