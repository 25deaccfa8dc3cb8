# Fixed: Dropout(0.9) used as TensorFlow 1's keep_prob: model underfits
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(256, activation='relu', input_shape=(100,)),
    keras.layers.Dropout(0.1),
    keras.layers.Dense(5, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy')
