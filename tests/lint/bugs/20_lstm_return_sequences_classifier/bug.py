# Bug report: IMDB LSTM: the model outputs (None, 100, 1) instead of (None, 1)
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import pad_sequences

(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=5000)
x_train = pad_sequences(x_train, maxlen=100)
model = keras.Sequential()
model.add(keras.layers.Embedding(5000, 64, input_length=100))
model.add(keras.layers.LSTM(64, return_sequences=True))  # lint-expect: AC201
model.add(keras.layers.Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=3, batch_size=64)
