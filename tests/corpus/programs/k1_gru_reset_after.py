# Keras 1 sequence tagger: GRU with the old argument names
import numpy as np
from keras.models import Sequential
from keras.layers.recurrent import GRU
from keras.layers.core import Dense, Dropout, TimeDistributedDense
from keras.regularizers import l2

timesteps = 30
n_feats = 40
n_tags = 9

model = Sequential()
model.add(GRU(output_dim=96, input_dim=n_feats, input_length=timesteps, return_sequences=True,
              init='glorot_uniform', inner_init='orthogonal', W_regularizer=l2(0.01)))
model.add(Dropout(0.25))
model.add(GRU(48, return_sequences=True))
model.add(TimeDistributedDense(n_tags, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='rmsprop')

X = np.random.random((256, timesteps, n_feats))
Y = np.eye(n_tags)[np.random.randint(0, n_tags, (256, timesteps))]
model.fit(X, Y, nb_epoch=3, batch_size=16)
