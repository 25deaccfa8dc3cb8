# Fixed: text classifier: Dense right after Embedding
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Embedding(input_dim=2000, output_dim=16, input_length=50),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy')
