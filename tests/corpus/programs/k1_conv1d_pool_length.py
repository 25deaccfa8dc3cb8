'''Convolution1D for text classification (Keras 1 spellings).'''
from __future__ import print_function
from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Flatten
from keras.layers import Embedding
from keras.layers import Convolution1D, MaxPooling1D
from keras.datasets import imdb

max_features = 5000
maxlen = 400
embedding_dims = 50
nb_filter = 250
filter_length = 3
hidden_dims = 250

(X_train, y_train), (X_test, y_test) = imdb.load_data(nb_words=max_features)
X_train = sequence.pad_sequences(X_train, maxlen=maxlen)
X_test = sequence.pad_sequences(X_test, maxlen=maxlen)

model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen, dropout=0.2))
model.add(Convolution1D(nb_filter=nb_filter, filter_length=filter_length, border_mode='valid',
                        activation='relu', subsample_length=1))
model.add(MaxPooling1D(pool_length=2))
model.add(Convolution1D(nb_filter=nb_filter // 2, filter_length=filter_length, border_mode='same',
                        activation='relu'))
model.add(MaxPooling1D(pool_length=model.output_shape[1]))
model.add(Flatten())
model.add(Dense(hidden_dims))
model.add(Dropout(0.2))
model.add(Activation('relu'))
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, y_train, batch_size=32, nb_epoch=2, validation_data=(X_test, y_test))
