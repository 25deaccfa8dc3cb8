# Multilayer perceptron from the Keras 1 guide
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation
from keras.optimizers import SGD

X_train = np.random.random((1000, 20))
y_train = np.random.randint(2, size=(1000, 10))
X_test = np.random.random((100, 20))
y_test = np.random.randint(2, size=(100, 10))

model = Sequential()
# Dense(64) is a fully-connected layer with 64 hidden units.
# in the first layer, you must specify the expected input data shape:
# here, 20-dimensional vectors.
model.add(Dense(output_dim=64, input_dim=20, init='uniform'))
model.add(Activation('tanh'))
model.add(Dropout(0.5))
model.add(Dense(64, init='uniform'))
model.add(Activation('tanh'))
model.add(Dropout(0.5))
model.add(Dense(10, init='uniform'))
model.add(Activation('softmax'))

sgd = SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
model.fit(X_train, y_train, nb_epoch=20, batch_size=16, show_accuracy=True)
score = model.evaluate(X_test, y_test, batch_size=16)
