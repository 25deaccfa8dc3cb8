# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# Part-of-speech tagging: one prediction per token from a TimeDistributed head.
from keras.models import Sequential
from keras.layers import Embedding, Bidirectional, LSTM, TimeDistributed, Dense

model = Sequential()
model.add(Embedding(20000, 64, input_length=50))
model.add(Bidirectional(LSTM(64, return_sequences=True)))
model.add(TimeDistributed(Dense(17, activation='softmax')))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
