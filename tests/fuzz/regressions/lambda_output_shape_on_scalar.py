import numpy as np
from keras.models import Model
from keras.layers import Input, Dense, Lambda, Embedding, Bidirectional, LSTM
from keras import backend as K

MAX_LEN = 60
VOCAB = 5000


def mean_over_time(x):
    return K.mean(x, axis=None)


def mean_output_shape(input_shape):
    return (input_shape[0], input_shape[2])


words = Input(shape=(MAX_LEN,), dtype='int32')
emb = Embedding(VOCAB, 100)(words)
seq = Bidirectional(LSTM(64, return_sequences=True))(emb)
avg = Lambda(mean_over_time, output_shape=mean_output_shape)(seq)
mx = Lambda(lambda t: K.max(t, axis=1), output_shape=(128,))(seq)
feat = Lambda(lambda ts: K.concatenate(ts, axis=-1), output_shape=(256,))([avg, mx])
prob = Dense(1, activation='sigmoid')(feat)
model = Model(inputs=words, outputs=prob)
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])

X = np.random.randint(0, VOCAB, (512, MAX_LEN))
y = np.random.randint(0, 2, (512, 1))
model.fit(X, y, epochs=2, batch_size=64)
