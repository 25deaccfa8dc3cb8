import sys
from keras import layers, models

if sys.argv[1] == 'wide':
    model = models.Sequential([layers.Input((16,)), layers.Dense(256), layers.Dense(1)])
else:
    model = models.Sequential([layers.Input((16,)), layers.Dense(32), layers.Dense(32), layers.Dense(1)])
