# Keras 1: merge two Sequential branches with the Merge layer
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Merge, Activation

left_branch = Sequential()
left_branch.add(Dense(32, input_dim=784))

right_branch = Sequential()
right_branch.add(Dense(32, input_dim=784))

merged = Merge([left_branch, right_branch], mode='concat')

final_model = Sequential()
final_model.add(merged)
final_model.add(Dense(10))
final_model.add(Activation('softmax'))
final_model.compile(optimizer='rmsprop', loss='categorical_crossentropy')

data_1 = np.random.random((1000, 784))
data_2 = np.random.random((1000, 784))
labels = np.random.randint(10, size=(1000, 1))
from keras.utils.np_utils import to_categorical
labels = to_categorical(labels, 10)
final_model.fit([data_1, data_2], labels, nb_epoch=10, batch_size=32)
