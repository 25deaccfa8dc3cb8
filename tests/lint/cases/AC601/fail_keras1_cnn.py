# A Keras 1 MNIST script: every legacy spelling is reported on its line.
from keras.layers import Convolution2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.models import Sequential

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))  # lint-expect: AC601
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(output_dim=10, activation='softmax'))  # lint-expect: AC601
model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])
X_train = Y_train = None  # loaded elsewhere
model.fit(X_train, Y_train, batch_size=128, nb_epoch=12)
