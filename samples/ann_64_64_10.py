"""The course notes' first network: 8 x 8 = 64 inputs, a hidden layer of 64 ReLU units and a
10-way softmax (one output per category).

    archcalc summary samples/ann_64_64_10.py
"""
from keras.layers import Dense
from keras.models import Sequential

model = Sequential()
model.add(Dense(64, activation='relu', input_shape=(8*8,)))
model.add(Dense(10, activation='softmax'))
