"""The methods and attributes of ``tf.data`` datasets, ``tensorflow_datasets`` objects and opened
files in the read: ``ds.batch(32)`` adds the batch axis, ``unbatch`` removes it, ``map`` runs the
program's function over the element (TensorFlow's functions on it: element_ops.py),
``shuffle`` / ``prefetch`` / ``cache``... keep it (``SAME_ELEMENT``); ``ds.element_spec``,
``ds.class_names``; a ``for`` loop over a dataset, ``iter`` / ``next`` / ``len`` / ``list`` of one
(``data_builtin``), ``open(...)`` (config_files.py); a layer run on data inside ``map``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError, LimitError
from archcalc.readers.python.config_files import OpenedFile, opened
from archcalc.readers.python.tfdata import (
    DataMethod,
    Dataset,
    TfdsFeature,
    TfdsInfo,
    TfdsSplit,
    batched,
    is_size,
    iteration,
    known,
    leaves,
    unbatched,
)
from archcalc.readers.python.values import Array, LayerObj, Unknown

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: the builtins data_builtin answers (for the values of this module, and open())
BUILTINS = {"open", "iter", "next", "len", "list"}

#: Dataset methods that keep the element as it is
SAME_ELEMENT = {"shuffle", "prefetch", "cache", "repeat", "skip", "filter", "with_options", "shard",
                "ignore_errors", "as_numpy_iterator", "apply_options", "concatenate", "take_while",
                "cardinality_unchanged", "__iter__", "sample_from_datasets"}


class DataPipelineMixin(_Side):
    """The Interpreter's answers for the values of tfdata.py (``DATA_VALUES``) and open()."""

    def data_attribute(self, obj: Any, attr: str, e: ast.AST) -> Any:
        line = getattr(e, "lineno", 0)
        if isinstance(obj, OpenedFile):
            return DataMethod(obj, attr)
        if isinstance(obj, Dataset):
            if attr == "element_spec":
                return obj.element
            if attr == "class_names":
                return obj.class_names if obj.class_names is not None else Unknown(f"{obj.what}.class_names", line)
            return DataMethod(obj, attr)
        if isinstance(obj, TfdsInfo):
            return self.tfds_info_attribute(obj, attr, line)
        if isinstance(obj, TfdsFeature):
            if attr in ("shape", "num_classes"):
                value = getattr(obj, attr)
                return value if value is not None else Unknown(f"{obj.name}.{attr}", line)
            return Unknown(f"{obj.name}.{attr}", line)
        if isinstance(obj, TfdsSplit) and attr == "num_examples":
            return obj.num_examples
        return Unknown(f"{type(obj).__name__}.{attr}", line)

    def data_method(self, m: DataMethod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        obj, name = m.obj, m.name
        if isinstance(obj, OpenedFile):
            return self.config_file_method(obj, name, e)
        if isinstance(obj, TfdsInfo):
            if name == "as_dataset":
                return self.tfds_splits(obj, kwargs.get("split", args[0] if args else None), kwargs, e)
            return None if name in ("download_and_prepare",) else Unknown(f"{obj.name}.{name}(...)", e.lineno)
        if isinstance(obj, Dataset):
            return self._dataset_method(obj, name, args, kwargs, e)
        return Unknown(f"{name}(...)", e.lineno)

    def data_iteration(self, it: Any, s: ast.For, env: Mapping[str, Any]) -> Any:
        """What a ``for`` loop over ``it`` runs on (see ``iteration``). A loop over a dataset runs
        its body once on the element; the models its body trains are also recorded as a skipped
        loop's are (``skipped_uses``: a use inside a call archcalc does not follow, such as
        ``tape.gradient(loss, model.trainable_variables)``, is never evaluated)."""
        items = iteration(it, s.lineno)
        if isinstance(it, Dataset) and isinstance(items, list):
            self.skipped(s.body, env)
        return items

    def data_call(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call this module answers (a method of its values, or a builtin: open, iter, next,
        len, list); NotImplemented for any other."""
        if isinstance(func, DataMethod):
            return self.data_method(func, args, kwargs, e)
        if isinstance(func, tuple) and func[:1] == ("builtin",) and func[1] in BUILTINS:
            return self.data_builtin(func[1], args, e)
        return NotImplemented

    def data_builtin(self, name: str, args: list[Any], e: ast.Call) -> Any:
        """``open('config.json')``, ``iter(ds)``, ``next(iter(ds))``, ``len(ds)``; NotImplemented
        for anything else."""
        if name == "open":
            return opened(self.ev.path, args, e.lineno)
        if not (len(args) >= 1 and isinstance(args[0], Dataset)):
            return NotImplemented
        ds = args[0]
        if name == "iter":
            return ds
        if name == "next":
            return ds.element
        if name == "len":
            return Unknown(f"len({ds.what})", e.lineno)  # the number of batches: data, never read
        if name == "list" and isinstance(iteration(ds), list):
            return iteration(ds)
        return NotImplemented

    def _dataset_method(self, ds: Dataset, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name in SAME_ELEMENT:
            return replace(ds, count=None if name in ("repeat", "filter", "skip") else ds.count)
        if name == "take":
            n = args[0] if args else kwargs.get("count")
            k = n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None
            return replace(ds, count=k if ds.count is None or k is None else min(k, ds.count))
        if name in ("batch", "padded_batch"):
            size = args[0] if args else kwargs.get("batch_size")
            drop = kwargs.get("drop_remainder", args[1] if name == "batch" and len(args) > 1 else False)
            return replace(ds, element=batched(ds.element, size if drop is True and is_size(size) else None),
                           batched=True, count=None)
        if name == "unbatch":
            return replace(ds, element=unbatched(ds.element), batched=False, count=None)
        if name == "map":
            fn = args[0] if args else kwargs.get("map_func")
            return replace(ds, element=self._mapped(ds, fn, e))
        if name == "enumerate":
            return replace(ds, element=(Array((), ds.what), ds.element))
        if name == "cardinality":
            return Unknown(f"{ds.what}.cardinality()", e.lineno)
        if name == "apply" and args:
            return self.ev.call_value(args[0], [ds], {}, e)
        return Unknown(f"{ds.what}.{name}(...)", e.lineno)

    def _mapped(self, ds: Dataset, fn: Any, e: ast.Call) -> Any:
        """The element after ``ds.map(fn)``: fn run on the element's arrays (a tuple element is
        passed as separate arguments, as tf.data does); unknown when it cannot be followed."""
        el = ds.element
        line = getattr(e, "lineno", 0)
        if not known(el) or fn is None:
            return Unknown(f"{ds.what}.map(...) element", line)
        args = list(el) if isinstance(el, tuple) else [el]
        try:
            out = self.ev.call_value(fn, args, {}, e)
        except LimitError:
            raise
        except ArchcalcError:
            out = None
        result = leaves(out, lambda a: a) if not isinstance(out, list) else None
        if result is None:
            self.notes.append(f"the elements of {ds.what} after map() at line {line} are not known to archcalc "
                              f"(their shapes come from code it does not follow); a model fitted on them has "
                              f"named input sizes (--set NAME=VALUE pins them)")
            return Unknown(f"{ds.what}.map(...) element", line)
        return result

    def layer_on_data(self, layer: Any, x: Array, e: ast.Call) -> Any:
        """A layer called on data (``normalization_layer(x)`` inside ``ds.map``): data of the
        layer's output shape where that is sure (the same shape, or a batch of known axis None),
        else unknown, as before."""
        lt = getattr(layer, "layer", None)
        if isinstance(layer, LayerObj) and lt is not None and x.shape:
            try:
                out = lt.output_shape([tuple(x.shape)])
            except (ArchcalcError, ValueError, TypeError, ZeroDivisionError, AttributeError):
                out = None
            if isinstance(out, tuple) and (out == tuple(x.shape) or x.shape[0] is None) and all(
                    d is None or is_size(d) for d in out):
                return Array(out, x.what, x.classes, x.onehot)
        return Unknown(f"{getattr(layer, 'name', 'layer')}(...)", e.lineno)
