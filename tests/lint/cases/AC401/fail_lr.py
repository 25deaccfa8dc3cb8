# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

model = Sequential()
model.add(Dense(64, activation='relu', input_shape=(20,)))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer=Adam(learning_rate=10), loss='binary_crossentropy')  # lint-expect: AC401
