# Bug report: text classifier: Dense right after Embedding
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Embedding(input_dim=2000, output_dim=16, input_length=50),
    keras.layers.Dense(1, activation='sigmoid'),  # lint-expect: AC201
])
model.compile(optimizer='adam', loss='binary_crossentropy')
