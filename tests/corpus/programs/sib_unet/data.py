from keras.preprocessing.image import ImageDataGenerator
import numpy as np
import os
import skimage.io as io


def adjustData(img, mask):
    if np.max(img) > 1:
        img = img / 255
        mask = mask / 255
        mask[mask > 0.5] = 1
        mask[mask <= 0.5] = 0
    return (img, mask)


def trainGenerator(batch_size, train_path, image_folder, mask_folder, aug_dict, target_size=(256, 256), seed=1):
    image_datagen = ImageDataGenerator(**aug_dict)
    mask_datagen = ImageDataGenerator(**aug_dict)
    image_generator = image_datagen.flow_from_directory(train_path, classes=[image_folder], class_mode=None,
                                                        color_mode="grayscale", target_size=target_size,
                                                        batch_size=batch_size, seed=seed)
    mask_generator = mask_datagen.flow_from_directory(train_path, classes=[mask_folder], class_mode=None,
                                                      color_mode="grayscale", target_size=target_size,
                                                      batch_size=batch_size, seed=seed)
    for (img, mask) in zip(image_generator, mask_generator):
        img, mask = adjustData(img, mask)
        yield (img, mask)


def saveResult(save_path, npyfile):
    for i, item in enumerate(npyfile):
        img = item[:, :, 0]
        io.imsave(os.path.join(save_path, "%d_predict.png" % i), img)
