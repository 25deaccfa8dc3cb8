from keras.layers import LSTM, Dense
from keras.models import Sequential

model = Sequential()
model.add(LSTM(32, batch_input_shape=(16, 20, 3), stateful=True))
model.add(Dense(1, activation='softmax'))  # lint-expect: AC103
model.compile(loss='binary_crossentropy', optimizer='adam')
