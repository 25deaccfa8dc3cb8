"""A model archcalc could not read (not a bug in the program).

archcalc reads code without running it. When a model depends on something its reader does
not follow (a layer made by ``eval``, a value only known at run time that decides which
layers exist, a construct of a library it does not know), it stops reading that model. That
is a limit of archcalc, not a mistake in the program: Keras may build the model without
complaint. Lint says so under this code, at the line where reading stopped, with the
reason, instead of reporting an error. The other models of the file, and the other files,
are still linted.

It is an ``info`` finding: it never fails a run unless ``--strict`` is given or the
severity is raised in ``[tool.archcalc.lint.severity]``. Compare E001 and E002, which
report what Keras itself would refuse (an unknown layer, an argument a layer does not
take, a shape that does not fit).

Fix: nothing in the program needs fixing. ``archcalc summary FILE`` shows the same reason;
``--set NAME=VALUE`` pins a size archcalc could not know, and ``--model NAME`` picks another
model of the file.

Failing::

    from tensorflow import keras

    model = keras.Sequential([keras.Input(shape=(8,)), eval("keras.layers.Dense")(4)])
    model.compile(optimizer="adam", loss="mse")

Passing::

    from tensorflow import keras

    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4)])
    model.compile(optimizer="adam", loss="mse")
"""

from __future__ import annotations

from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule

#: the formats whose models are programs or saved models (a reading failure there is
#: archcalc's); in a YAML spec, the spec's own language, a refusal is the spec's error
READ_FORMATS = frozenset({".py", ".ipynb", ".json", ".keras", ".h5", ".hdf5"})


class NotRead(LintRule):
    __doc__ = __doc__
    code = "AC000"
    name = "read.not-read"
    severity = Severity.INFO
    refusal_only = True
