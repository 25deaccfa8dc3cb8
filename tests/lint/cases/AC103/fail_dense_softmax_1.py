# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "my binary classifier always outputs 1.0": softmax over one unit.
from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(64, input_dim=20, activation='relu'))
model.add(Dropout(0.5))
model.add(Dense(1, activation='softmax'))  # lint-expect: AC103
model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
