from keras.layers import Input, Conv2D, MaxPooling2D, AveragePooling2D, Dense, Flatten, concatenate
from keras.models import Model
from keras.utils import plot_model


def inception_module(layer_in, f1, f2_in, f2_out, f3_in, f3_out, f4_out):
    # 1x1 conv
    conv1 = Conv2D(f1, (1, 1), padding='same', activation='relu')(layer_in)
    # 3x3 conv
    conv3 = Conv2D(f2_in, (1, 1), padding='same', activation='relu')(layer_in)
    conv3 = Conv2D(f2_out, (3, 3), padding='same', activation='relu')(conv3)
    # 5x5 conv
    conv5 = Conv2D(f3_in, (1, 1), padding='same', activation='relu')(layer_in)
    conv5 = Conv2D(f3_out, (5, 5), padding='same', activation='relu')(conv5)
    # 3x3 max pooling
    pool = MaxPooling2D((3, 3), strides=(1, 1), padding='same')(layer_in)
    pool = Conv2D(f4_out, (1, 1), padding='same', activation='relu')(pool)
    layer_out = concatenate([conv1, conv3, conv5, pool], axis=-1)
    return layer_out


visible = Input(shape=(64, 64, 3))
layer = Conv2D(32, (3, 3), strides=(2, 2), activation='relu')(visible)
layer = inception_module(layer, 64, 96, 128, 16, 32, 32)
layer = inception_module(layer, 128, 128, 192, 32, 96, 64)
layer = AveragePooling2D((4, 4))(layer)
layer = Flatten()(layer)
out = Dense(10, activation='softmax')(layer)
model = Model(inputs=visible, outputs=out)
model.summary()
plot_model(model, show_shapes=True, to_file='inception_module.png')
