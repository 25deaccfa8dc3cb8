# Fixed: IMDB sentiment: loss is 0.0000 from the first epoch, accuracy never moves
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import pad_sequences

(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
x_train = pad_sequences(x_train, maxlen=200)
model = keras.Sequential([
    keras.layers.Embedding(10000, 32, input_length=200),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(16, activation='relu'),
    keras.layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, batch_size=64)
