import numpy as np
from keras.layers import LSTM, Dense, Embedding
from keras.models import Sequential

vocab_size = 5000
embedding_matrix = np.zeros((vocab_size + 1, 100))
model = Sequential()
model.add(Embedding(vocab_size, 100, weights=[embedding_matrix], input_length=50, trainable=False))  # lint-expect: AC211
model.add(LSTM(64))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
