# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Dense, Dropout

model = Sequential()
model.add(Dense(256, activation='relu', input_shape=(100,)))
model.add(Dropout(0.9))  # lint-expect: AC302
model.add(Dense(1, activation='sigmoid'))
