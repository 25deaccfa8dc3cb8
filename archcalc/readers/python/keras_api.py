"""The Keras and library calls the reader knows: one row each, naming its handler.

A call of a module's function (``keras.layers.Dense(64)``, ``np.zeros((4, 2))``,
``pd.read_csv('train.csv')``) comes here from library.py with its module path normalised
(modules.py: every era's Keras spelling is ``keras.*``). ``KERAS_CALLS`` / ``KERAS_MODULES`` hold
Keras's calls, ``LIBRARY_CALLS`` / ``LIBRARY_FAMILIES`` the other libraries'. A row's handler
takes ``(func, args, kwargs, e)`` and returns the call's value, or NotImplemented to pass the
call on to the next row; it is either a plain function (the call needs nothing of the read) or
the name of a method of the Interpreter (it makes nodes, writes a note, reads the program's
folder). The handlers live with their family:

- keras_layers.py: layers, ``keras.Input``, merges, Lambda, config objects (``k_layer``...);
- keras_models.py: ``Sequential``, ``Model``, ``keras.applications`` (``k_sequential``...);
- keras_tensors.py: ``keras.ops`` / ``tf.*`` / ``K.*`` on tensors, the backend (``k_op``...);
- libraries.py, numpy_calls.py: pandas, NumPy, scikit-learn, os.path, itertools, wandb...;
- tfdata_loaders.py (``TFDATA_CALLS``), config_files.py (``CONFIG_LOADERS``): their own rows.

What the Keras families share (names, sizes, ``call_layer``, shapes) is their base,
graph_nodes.py's ``NodesMixin``.

A call no row answers gives an unknown value; a call into a library archcalc does not read is
remembered, in case the model uses its result as a layer (opaque_layers.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archcalc.readers.python import modules
from archcalc.readers.python.config_files import CONFIG_LOADERS
from archcalc.readers.python.keras_models import lib_source_inputs
from archcalc.readers.python.libraries import (
    DATA_LIBRARIES,
    k_dataset,
    k_image_generator,
    k_to_categorical,
    lib_argument_parser,
    lib_choice,
    lib_get_dummies,
    lib_hyperparameters,
    lib_itertools,
    lib_pad_sequences,
    lib_partial,
    lib_sklearn,
    lib_to_categorical,
)
from archcalc.readers.python.tfdata_loaders import (
    TFDATA_CALLS,
    k_preprocess_data,
    k_timeseries_dataset,
)
from archcalc.readers.python.values import Mod, Unknown

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: a row's handler, ``(func, args, kwargs, e) -> value`` or NotImplemented: a plain function, or
#: the name of a method of the Interpreter
Handler = str | Callable[[Mod, list[Any], dict[str, Any], ast.Call], Any]


class CallTablesMixin(_Side):
    """The Interpreter's dispatch of module function calls through the tables below."""

    def library_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call into a library: one row of LIBRARY_CALLS, else the library's family handler
        (Keras, NumPy, scikit-learn, TensorFlow), else an unknown value."""
        path = func.path
        module = ".".join(path[:-1])
        family = "keras" if modules.is_keras(path) else path[0]
        for table in (LIBRARY_CALLS, "keras", LIBRARY_CALLS_AFTER_KERAS, "other", LIBRARY_CALLS_LAST):
            if isinstance(table, str):  # the library's family: Keras first, the others after
                handler = LIBRARY_FAMILIES.get(family) if (family == "keras") == (table == "keras") else None
            else:
                handler = table.get((module, func.name)) or table.get(("*", func.name))
            if handler is not None:
                got = self.run_row(handler, func, args, kwargs, e)
                if got is not NotImplemented:
                    return got
        u = Unknown(f"{'.'.join(path)}(...)", e.lineno)
        if path[0] not in DATA_LIBRARIES:  # maybe a layer of another library: see opaque_layer
            self.external_calls[(u.what, u.line)] = (".".join(path), dict(kwargs))
        return u

    def keras_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call into Keras (any spelling, normalised to ``keras.*``): a row of KERAS_CALLS by
        (submodule, name), else the submodule's handler in KERAS_MODULES, else unknown."""
        path, name = func.path, func.name
        sub = path[1] if len(path) > 2 else ""
        for handler in (KERAS_CALLS.get((sub, name)), KERAS_CALLS.get(("*", name)), KERAS_MODULES.get(sub)):
            if handler is not None:
                got = self.run_row(handler, func, args, kwargs, e)
                if got is not NotImplemented:
                    return got
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def lib_keras(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.keras_call(func, args, kwargs, e)

    def run_row(self, handler: Handler, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A row's handler called: the Interpreter's method of that name, or the function."""
        fn = getattr(self, handler) if isinstance(handler, str) else handler
        return fn(func, args, kwargs, e)


#: keras.<module>s of configuration objects, and of element-wise or shape ops on tensors
CONFIG_MODULES = {"optimizers", "losses", "metrics", "regularizers", "initializers", "constraints", "schedules"}
OP_MODULES = {"ops", "activations", "backend", "math", "nn", "numpy", "random", "image", "linalg"}

#: Keras calls the reader knows, one row each: (submodule, name) -> handler; "*" matches any
#: submodule ("" is ``keras.X`` itself). Tried in order: the exact row, the "*" row, then the
#: submodule's handler (KERAS_MODULES); NotImplemented passes the call on.
KERAS_CALLS: dict[tuple[str, str], Handler] = {
    # keras-applications' helpers (keras_models.py)
    ("*", "_obtain_input_shape"): "lib_obtain_input_shape", ("*", "obtain_input_shape"): "lib_obtain_input_shape",
    ("*", "get_source_inputs"): lib_source_inputs,
    # inputs and models (keras_layers.py, keras_models.py)
    ("*", "Input"): "k_input", ("", "InputLayer"): "k_input", ("layers", "InputLayer"): "k_input",
    ("", "Sequential"): "k_sequential", ("models", "Sequential"): "k_sequential",
    ("", "Model"): "k_functional", ("models", "Model"): "k_functional",
    ("", "Functional"): "k_functional", ("models", "Functional"): "k_functional",
    ("models", "load_model"): "k_unread_model", ("models", "model_from_json"): "k_unread_model",
    ("models", "clone_model"): "k_unread_model",
    # data (libraries.py)
    ("datasets", "load_data"): k_dataset,
    ("*", "to_categorical"): k_to_categorical, ("*", "pad_sequences"): lib_pad_sequences,
    ("*", "ImageDataGenerator"): k_image_generator,
    # tf.data loaders (tfdata_loaders.py)
    ("*", "image_dataset_from_directory"): "k_image_dataset", ("*", "text_dataset_from_directory"): "k_text_dataset",
    ("*", "timeseries_dataset_from_array"): k_timeseries_dataset, ("*", "preprocess_input"): k_preprocess_data,
    # the backend, activations (keras_tensors.py); Keras 1's merge (keras_layers.py)
    ("", "backend"): "k_backend", ("activations", "get"): "k_activation_get",
    ("", "merge"): "k_merge", ("", "Merge"): "k_merge", ("layers", "merge"): "k_merge", ("layers", "Merge"): "k_merge",
}

#: a Keras submodule's calls: configuration objects and layers (keras_layers.py), models of
#: keras.applications (keras_models.py), the backend and tensor operations (keras_tensors.py)
KERAS_MODULES: dict[str, Handler] = {
    "applications": "k_application", "backend": "k_backend", "layers": "k_layer", "": "k_layer",
    **{m: "k_config" for m in CONFIG_MODULES},
    **{m: "k_op" for m in OP_MODULES - {"backend"}},  # keras.backend has a handler of its own
}

#: library calls the reader knows, one row each: (module, function) -> handler; "*" matches
#: any module. Tried in order: LIBRARY_CALLS, the Keras family (LIBRARY_FAMILIES: Keras in all
#: its spellings), LIBRARY_CALLS_AFTER_KERAS, the other families (NumPy, scikit-learn,
#: TensorFlow), LIBRARY_CALLS_LAST; a handler that returns NotImplemented passes the call on.
#: The handlers are libraries.py's unless a row's comment says otherwise.
LIBRARY_CALLS: dict[tuple[str, str], Handler] = {
    ("*", "KerasClassifier"): "lib_sklearn_wrapper", ("*", "KerasRegressor"): "lib_sklearn_wrapper",
    ("pandas", "read_csv"): "lib_read_csv", ("numpy", "load"): "lib_np_load",
    ("numpy", "loadtxt"): "lib_np_loadtxt", ("numpy", "genfromtxt"): "lib_np_loadtxt",
    ("os.path", "exists"): "lib_path_exists", ("os.path", "isfile"): "lib_path_exists",
    ("os.path", "isdir"): "lib_path_exists",
    ("sys.path", "append"): "lib_sys_path", ("sys.path", "insert"): "lib_sys_path",
    ("random", "choice"): lib_choice, ("pandas", "get_dummies"): lib_get_dummies,
    ("wandb", "init"): "lib_wandb_init",
    ("itertools", "product"): lib_itertools, ("itertools", "combinations"): lib_itertools,
    ("itertools", "combinations_with_replacement"): lib_itertools,
    ("itertools", "permutations"): lib_itertools, ("itertools", "chain"): lib_itertools,
    **TFDATA_CALLS, **CONFIG_LOADERS,
}

#: a library's calls that no row names: Keras (keras_call, above), NumPy (numpy_calls.py),
#: scikit-learn (libraries.py), TensorFlow (keras_tensors.py)
LIBRARY_FAMILIES: dict[str, Handler] = {
    "keras": "lib_keras", "numpy": "lib_numpy", "sklearn": lib_sklearn, "tensorflow": "lib_tensorflow",
}
LIBRARY_CALLS_AFTER_KERAS: dict[tuple[str, str], Handler] = {
    ("*", "_obtain_input_shape"): "lib_obtain_input_shape", ("*", "obtain_input_shape"): "lib_obtain_input_shape",
    ("*", "get_source_inputs"): lib_source_inputs,
    ("functools", "partial"): lib_partial, ("functools", "reduce"): "lib_reduce",
}
LIBRARY_CALLS_LAST: dict[tuple[str, str], Handler] = {
    ("keras_tuner", "HyperParameters"): lib_hyperparameters, ("kerastuner", "HyperParameters"): lib_hyperparameters,
    ("argparse", "ArgumentParser"): lib_argument_parser,
    ("*", "to_categorical"): lib_to_categorical, ("*", "pad_sequences"): lib_pad_sequences,
}
