# Keras 1 functional API: two inputs merged with merge(mode='concat')
import numpy as np
from keras.layers import Input, Dense, Dropout, merge
from keras.models import Model
from keras.regularizers import l2

n_user_feats = 30
n_item_feats = 20

user_in = Input(shape=(n_user_feats,), name='user')
item_in = Input(shape=(n_item_feats,), name='item')
u = Dense(64, activation='relu', init='he_normal', W_regularizer=l2(1e-5))(user_in)
i = Dense(64, activation='relu', init='he_normal', W_regularizer=l2(1e-5))(item_in)
x = merge([u, i], mode='concat', concat_axis=-1)
x = Dropout(0.3)(x)
x = Dense(32, activation='relu')(x)
out = Dense(1, activation='sigmoid', name='click')(x)

model = Model(input=[user_in, item_in], output=out)
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])

U = np.random.rand(5000, n_user_feats)
I = np.random.rand(5000, n_item_feats)
y = (np.random.rand(5000) > 0.5).astype('int32')
model.fit([U, I], y, nb_epoch=5, batch_size=64, validation_split=0.1)
