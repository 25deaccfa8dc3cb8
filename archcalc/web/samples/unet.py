"""The course notes' U-Net: contraction, bottleneck and expansion with skip concatenations.

The notes leave `input_shape` open; 128 x 128 x 1 is used here (any H and W divisible by 4
builds). The final Model(...) line is not in the notes; it names the model."""
from keras.layers import Conv2D, Input, MaxPooling2D, UpSampling2D, concatenate
from keras.models import Model

input_shape = (128, 128, 1)

inputs = Input(input_shape)

c1 = Conv2D(64, (3, 3), activation='relu', padding='same')(
    inputs)
p1 = MaxPooling2D((2, 2))(c1)

c2 = Conv2D(128, (3, 3), activation='relu', padding='same')(p1)
p2 = MaxPooling2D((2, 2))(c2)

# Bottleneck
c3 = Conv2D(256, (3, 3), activation='relu', padding='same')(p2)

u1 = UpSampling2D((2, 2))(c3)
c4 = Conv2D(128, (3, 3), activation='relu', padding='same')(
    concatenate([u1, c2]))

u2 = UpSampling2D((2, 2))(c4)
c5 = Conv2D(64, (3, 3), activation='relu', padding='same')(
    concatenate([u2, c1]))

outputs = Conv2D(1, (1, 1), activation='sigmoid')(c5)

model = Model(inputs, outputs)
