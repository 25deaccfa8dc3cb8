from model import *
from data import *
from keras.callbacks import ModelCheckpoint

IMG = 128
data_gen_args = dict(rotation_range=0.2, width_shift_range=0.05, height_shift_range=0.05,
                     shear_range=0.05, zoom_range=0.05, horizontal_flip=True, fill_mode='nearest')
myGene = trainGenerator(2, 'data/membrane/train', 'image', 'label', data_gen_args, target_size=(IMG, IMG))

model = unet(input_size=(IMG, IMG, 1), base=32)
model_checkpoint = ModelCheckpoint('unet_membrane.hdf5', monitor='loss', verbose=1, save_best_only=True)
model.fit_generator(myGene, steps_per_epoch=300, epochs=1, callbacks=[model_checkpoint])
