# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, activation='softmax', input_shape=(20,)))  # lint-expect: AC306
model.add(Dense(1, activation='sigmoid'))
