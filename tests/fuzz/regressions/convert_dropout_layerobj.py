from keras.models import *
from keras.layers import *
from keras.optimizers import *


def down(x, filters):
    c = Conv2D(filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')(x)
    c = Conv2D(filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')(c)
    return c, MaxPooling2D(pool_size=(2, 2))(c)


def up(x, skip, filters):
    u = Conv2D(filters, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(x))
    m = concatenate([skip, u], axis=3)
    c = Conv2D(filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')(m)
    return Conv2D(filters, 3, activation='relu', padding='same', kernel_initializer='he_normal')(c)


def unet(pretrained_weights=None, input_size=(256, 256, 1), base=16):
    inputs = Input(input_size)
    c1, p1 = down(inputs, base)
    c2, p2 = down(p1, base * 2)
    c3, p3 = down(p2, base * 4)
    b = Conv2D(base * 8, 3, activation='relu', padding='same')(p3)
    b = Dropout(0.5)(b)
    u3 = up(b, c3, base * 4)
    u2 = up(u3, c2, base * 2)
    u1 = up(u2, c1, base)
    outputs = Conv2D(1, 1, activation='sigmoid')(u1)
    model = Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=Dropout(0.5), loss='binary_crossentropy', metrics=['accuracy'])
    if pretrained_weights:
        model.load_weights(pretrained_weights)
    return model
