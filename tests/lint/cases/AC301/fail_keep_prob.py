# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# A TensorFlow 1 keep_prob carried over as a percentage.
from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(128, activation='relu', input_shape=(784,)))
model.add(Dropout(20))  # lint-expect: AC301
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
