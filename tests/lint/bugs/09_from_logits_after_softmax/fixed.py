# Fixed: softmax output with from_logits=True: loss decreases but accuracy is poor
import keras

model = keras.Sequential([
    keras.layers.Input((100,)),
    keras.layers.Dense(64, activation='relu'),
    keras.layers.Dense(3, activation='softmax'),
])
model.compile(optimizer='adam', loss=keras.losses.CategoricalCrossentropy())
