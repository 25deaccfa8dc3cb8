import numpy as np
from keras.layers import LSTM, Dense, Embedding
from keras.models import Sequential

word_index = {"the": 1, "cat": 2, "sat": 3}
embedding_dim = 50
embedding_matrix = np.zeros((len(word_index) + 1, embedding_dim))
model = Sequential()
model.add(Embedding(len(word_index), embedding_dim, weights=[embedding_matrix], input_length=20, trainable=False))  # lint-expect: AC211
model.add(LSTM(32))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
