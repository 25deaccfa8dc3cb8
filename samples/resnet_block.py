"""The course notes' ResNet example: a residual block (two convolutions with batch
normalization and a skip connection added back), used twice. The final Model(...) line is
not in the notes; it names the model. (The notes call the input `input`, shadowing Python's
built-in; kept as written.)"""
from keras.layers import Activation, BatchNormalization, Conv2D, Input, add
from keras.models import Model


def residual_block(input_tensor, kernel_size, filters):
    x = Conv2D(filters, kernel_size, padding='same')(input_tensor)
    x = BatchNormalization()(x)
    x = Activation('relu')(x)

    x = Conv2D(filters, kernel_size, padding='same')(x)
    x = BatchNormalization()(x)

    x = add([x, input_tensor])
    x = Activation('relu')(x)

    return x


input = Input(shape=(64, 64, 3))
x = Conv2D(64, (3, 3), padding='same')(input)
x = residual_block(x, (3, 3), 64)
x = residual_block(x, (3, 3), 64)
output = Conv2D(3, (3, 3), padding='same')(x)

model = Model(input, output)
