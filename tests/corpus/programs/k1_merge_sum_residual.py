# Keras 1 residual MLP: merge(mode='sum') shortcuts
from keras.layers import Input, Dense, Activation, merge
from keras.layers.normalization import BatchNormalization
from keras.models import Model


def res_unit(x, dim):
    y = Dense(dim, init='he_normal')(x)
    y = BatchNormalization()(y)
    y = Activation('relu')(y)
    y = Dense(dim, init='he_normal')(y)
    return merge([x, y], mode='sum')


inp = Input(shape=(100,))
h = Dense(128, activation='relu')(inp)
for _ in range(3):
    h = res_unit(h, 128)
out = Dense(1, activation='linear')(h)
model = Model(input=inp, output=out)
model.compile(optimizer='adam', loss='mse')
