# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "expected dense_1 to have 3 dimensions, but got array with shape (2000, 1)":
# return_sequences=True left on the last LSTM.
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense

model = Sequential()
model.add(Embedding(5000, 32, input_length=100))
model.add(LSTM(100, return_sequences=True))
model.add(LSTM(100, return_sequences=True))  # lint-expect: AC201
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
