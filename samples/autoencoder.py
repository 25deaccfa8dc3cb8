"""The course notes' autoencoder: one Dense encoder to a latent space, one Dense decoder.

The notes leave the sizes open; INPUT_DIMENSION = 784 (a flattened 28 x 28 image) and
LATENT_DIMENSION = 32 are chosen here."""
from keras.layers import Dense, Input
from keras.models import Model

INPUT_DIMENSION = 784
LATENT_DIMENSION = 32

input = Input(shape=(INPUT_DIMENSION,))

encoder = Dense(LATENT_DIMENSION)(input)
decoder = Dense(INPUT_DIMENSION)(encoder)

autoencoder = Model(input, decoder)
