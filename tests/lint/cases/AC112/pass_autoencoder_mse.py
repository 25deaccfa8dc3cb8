from keras.layers import Dense, Flatten, Reshape
from keras.models import Sequential

model = Sequential()
model.add(Flatten(input_shape=(28, 28)))
model.add(Dense(32, activation='relu'))
model.add(Dense(784, activation='sigmoid'))
model.add(Reshape((28, 28)))
model.compile(loss='mse', optimizer='adam')
