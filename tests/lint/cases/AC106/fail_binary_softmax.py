# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "97% accuracy but the predictions are wrong": binary cross-entropy on a 3-class softmax.
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(32, activation='relu', input_shape=(4,)))
model.add(Dense(3, activation='softmax'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])  # lint-expect: AC106
