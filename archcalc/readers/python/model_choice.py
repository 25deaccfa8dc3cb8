"""Which model is "the" model of a read, and what the file builds (``--list-models``).

``--model NAME`` names a model variable or a model's name, a builder function (called with its
defaults), a model class or a Keras Tuner HyperModel. Without it: the model the program trains
last, else the one it saves or shows last (``MODEL_USES``, recorded by uses.py), else the last
model it builds; else the last model a builder function of the file returns when called with
its defaults (its required parameters become named sizes), a HyperModel's, a model class's.
The choice and why is a note of the summary (``note_choice``).

The functions here read the finished read (``Read``: the Interpreter, as side.LibrarySide declares
it); they add nothing to the graph but the model a builder makes.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError, Location, SpecError
from archcalc.graph import Graph
from archcalc.readers.python.graph_nodes import hint_for_unknown
from archcalc.readers.python.values import (
    EvalError,
    Instance,
    Mod,
    ModelObj,
    Unknown,
    UserClass,
    UserFunc,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as Read

#: what a program does with a model, ranked for the default pick: the model it trains last (2),
#: else the one it saves or shows last (1), else the last one built
MODEL_USES = {"fit": 2, "fit_generator": 2, "train_on_batch": 2, "trainable_variables": 2, "trainable_weights": 2,
              "save": 1, "save_weights": 1, "summary": 1, "export": 1, "to_json": 1}

#: MODEL_USES's ranks in the note that says why a model was chosen
USE_WORDS = {2: "trains", 1: "saves or shows"}


def _builders(interp: Read) -> list[tuple[str, UserFunc]]:
    """The module's functions that build a model (they mention Keras models or layers), and
    the static and class methods of its plain classes that do (``LeNet.build``)."""
    out = []
    for name, v in interp.ev.globals.items():
        if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and not name.startswith("_"):
            if interp.ev.affects_model(v.node.body, interp.ev.globals) or _returns_model(v.node):
                out.append((name, v))
        elif isinstance(v, UserClass) and v.kind == "other" and v.node is not None:
            for fn in v.node.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                decorators = {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}
                if decorators & {"staticmethod", "classmethod"} and (
                        interp.ev.affects_model(fn.body, interp.ev.globals) or _returns_model(fn)):
                    out.append((f"{name}.{fn.name}", UserFunc(fn, v.closure or {}, v.at, v.path,
                                                              bound=v if "classmethod" in decorators else None)))
    return out


def _returns_model(fn: ast.FunctionDef) -> bool:
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            f = n.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("Model", "Sequential"):
                return True
    return False


def _is_hypermodel(cls: UserClass) -> bool:
    """A Keras Tuner ``HyperModel`` subclass (its ``build(self, hp)`` makes the model)."""
    for b in cls.bases:
        if isinstance(b, Mod) and b.name == "HyperModel" and b.path[0] in ("keras_tuner", "kerastuner"):
            return True
        if isinstance(b, UserClass) and _is_hypermodel(b):
            return True
    return False


def _hypermodels(interp: Read) -> list[tuple[str, UserClass | Instance]]:
    """The file's HyperModel objects (``hypermodel = MyHyperModel(num_classes=10)``), else its
    HyperModel classes."""
    made = [(k, v) for k, v in interp.ev.globals.items() if isinstance(v, Instance) and _is_hypermodel(v.cls)]
    if made:
        return list(made)
    return [(k, v) for k, v in interp.ev.globals.items() if isinstance(v, UserClass) and _is_hypermodel(v)]


def _build_hypermodel(interp: Read, hyper: UserClass | Instance) -> Any:
    """``build(hp)`` of a HyperModel with the default hyperparameters; a class is made first,
    its required constructor arguments named sizes."""
    if isinstance(hyper, UserClass):
        inst = Instance(hyper, name=hyper.name, loc=Location(interp.ev.path, hyper.line))
        owner = hyper.owner_of("__init__")
        init = owner.method("__init__") if owner is not None else None
        if owner is not None and init is not None:
            interp.self_stack.append(inst)
            try:
                interp.ev.call_user(UserFunc(init, owner.closure or {}, owner.at, owner.path, bound=inst), [], {},
                                 init, symbolic_missing=True)
            finally:
                interp.self_stack.pop()
        hyper = inst
    owner = hyper.cls.owner_of("build")
    build = owner.method("build") if owner is not None else None
    if owner is None or build is None:
        return None
    interp.self_stack.append(hyper)
    try:
        return interp.ev.call_user(UserFunc(build, owner.closure or {}, owner.at, owner.path, bound=hyper), [], {},
                                build, symbolic_missing=True)
    finally:
        interp.self_stack.pop()


def _call_builder(interp: Read, name: str, f: UserFunc) -> Any:
    try:
        return interp.ev.call_user(f, [], {}, f.node, symbolic_missing=True)
    except EvalError:
        raise


def _as_model(interp: Read, v: Any) -> ModelObj | None:
    if isinstance(v, ModelObj):
        return v
    if isinstance(v, Instance) and v.cls.kind == "model":
        return interp.instance_model(v, None)
    if isinstance(v, (list, tuple)):
        models = [m for m in (_as_model(interp, x) for x in v) if m is not None]
        return models[-1] if models else None
    return None


def pick_model(interp: Read, model_name: str | None) -> tuple[str, ModelObj]:
    """The model to analyse: the one named, else the last one assigned, else a builder's."""
    if model_name:
        return _named_model(interp, model_name)
    chosen = _default_choice(interp)
    if chosen is not None:
        return chosen
    return _built_model(interp)


def _named_model(interp: Read, model_name: str) -> tuple[str, ModelObj]:
    """``--model NAME``: a model variable or a model's name, a builder function (called with its
    defaults), a model class or a Keras Tuner HyperModel."""
    top = [(var, m) for var, m, _ in interp.models]
    for var, m in reversed(top):
        name = m.name if isinstance(m, (ModelObj, Instance)) else ""
        if var == model_name or name == model_name:
            got = _as_model(interp, m)
            if got is not None:
                return var, got
    f = interp.ev.globals.get(model_name)
    if f is None and "." in model_name:  # --model LeNet.build: a static method
        f = dict(_builders(interp)).get(model_name)
    if isinstance(f, UserFunc):
        got = _as_model(interp, _call_builder(interp, model_name, f))
        if got is None:
            raise SpecError(f"the function '{model_name}' does not return a Keras model",
                            loc=f.at(f.node.lineno, f.node.col_offset + 1) if f.at else Location(interp.ev.path),
                            hint="--model names a model variable or a function that returns a model")
        return model_name, got
    if isinstance(f, UserClass) and f.kind == "model":
        inst = interp.instantiate(f, [], {}, f.node or ast.Module(body=[], type_ignores=[]))
        return model_name, interp.instance_model(inst, None)
    if (isinstance(f, UserClass) and _is_hypermodel(f)) or (isinstance(f, Instance) and _is_hypermodel(f.cls)):
        got = _as_model(interp, _build_hypermodel(interp, f))
        if got is not None:
            return model_name, got
    for _, _, bound, err, builds in reversed(interp.ev.failures):
        if builds and model_name in bound:  # --model NAME of a model whose build failed: why
            raise err
    names = list_models(interp)
    raise SpecError(
        f"no model named '{model_name}'", loc=Location(interp.ev.path),
        hint=("models in the file: " + ", ".join(names)) if names else "the file builds no model",
    )


def _built_model(interp: Read) -> tuple[str, ModelObj]:
    """No model assigned at module level: the last builder function's, else a HyperModel's, else
    the last model class's; else the error that kept the file's models from being read."""
    builders = _builders(interp)
    last_error: ArchcalcError | None = None
    for name, f in reversed(builders):
        try:
            got = _as_model(interp, _call_builder(interp, name, f))
        except ArchcalcError as err:
            last_error = last_error or err
            continue
        if got is not None:
            return name, got
    if last_error is not None:
        raise last_error
    for name, hyper in reversed(_hypermodels(interp)):
        got = _as_model(interp, _build_hypermodel(interp, hyper))
        if got is not None:
            return name, got
    classes = [k for k, v in interp.ev.globals.items() if isinstance(v, UserClass) and v.kind == "model"]
    for name in reversed(classes):
        cls = interp.ev.globals[name]
        try:
            inst = interp.instantiate(cls, [], {}, cls.node or ast.Module(body=[], type_ignores=[]))
            return name, interp.instance_model(inst, None)
        except ArchcalcError as err:
            last_error = err
    if last_error is not None:
        raise last_error
    if interp.ev.failures:
        raise interp.ev.failures[0][3]
    if interp.unread:
        var, u = interp.unread[-1]
        raise SpecError(f"`{var}` is {u.what}, which archcalc does not read from code",
                        loc=interp.ev.at(u.line, 1) if u.line else Location(interp.ev.path), hint=hint_for_unknown(u))
    raise SpecError(
        "no Keras model is built in this file", loc=Location(interp.ev.path),
        hint="assign one, e.g. model = Model(inputs, outputs), or define a function that returns one",
    )


def _failure_of(interp: Read, v: Any) -> ArchcalcError | None:
    """The error of the model-building statement that left ``v`` unknown, if one did."""
    if isinstance(v, Unknown) and v.failed is not None:
        for *_, err, builds in interp.ev.failures:
            if err is v.failed and builds:
                return err
    return None


def _variable_of(interp: Read, obj: Any) -> str | None:
    for var, m, _ in reversed(interp.models):
        if m is obj:
            return var
    return None


def _default_choice(interp: Read) -> tuple[str, ModelObj] | None:
    """The model the program trains last, else the one it saves or shows last, else the last
    one it builds; a model whose build failed there is its error. Records why in
    ``interp.choice``."""
    for rank in (2, 1):
        ranked = [u for u in interp.uses if u[0] == rank]
        for _, obj, method, line in reversed(ranked):
            err = _failure_of(interp, obj)
            if err is not None:
                raise err
            if isinstance(obj, Unknown):
                continue
            together = _together(interp, [u for u in ranked if u[3] == line and u[2] == method
                                           and method in ("trainable_variables", "trainable_weights")])
            if len(together) > 1:  # conv_net.trainable_variables + fc_net.trainable_variables
                obj, method = together[0]
            var = _variable_of(interp, obj) or str(getattr(obj, "name", "model"))
            got = _as_model(interp, obj)
            if got is not None:
                interp.choice = (var, f"the model the file {USE_WORDS[rank]} last "
                                      f"({var}.{method}, {_where(interp, line)})")
                if len(together) > 1:
                    others = ", ".join(_variable_of(interp, o) or str(getattr(o, "name", "model"))
                                       for o, _ in together[1:])
                    interp.choice = (var, interp.choice[1] + f", together with {others}: the first "
                                                             "of the models one step trains")
                return var, _check_broken(got)
    last_built = interp.built_at.get(id(interp.models[-1][1]), -1) if interp.models else -1
    failed = [f for f in interp.ev.failures if f[4] and f[0] > last_built]
    if failed:
        raise failed[-1][3]
    if interp.models:
        var, m, line = _last_whole(interp)
        got = _as_model(interp, m)
        if got is not None:
            interp.choice = (var, f"the last model the file builds ({_where(interp, line)})")
            return var, _check_broken(got)
    return None


def _last_whole(interp: Read) -> tuple[str, Any, int]:
    """The last model assigned that is not an entry of another one assigned (``for blk in
    net.layers: X = blk(X)`` names net's blocks last: net is the model)."""
    parts = {id(x) for _, m, _ in interp.models if isinstance(m, ModelObj) and m.kind == "Sequential"
             for x in m.layers if isinstance(x, ModelObj)}
    for entry in reversed(interp.models):
        if id(entry[1]) not in parts:
            return entry
    return interp.models[-1]


def _together(interp: Read, uses: list[tuple[int, Any, str, int]]) -> list[tuple[Any, str]]:
    """The distinct models used on one line, in the order the line reads them (a custom step
    that trains two models at once: ``a.trainable_variables + b.trainable_variables``)."""
    out: list[tuple[Any, str]] = []
    for _, obj, method, _line in uses:
        if not isinstance(obj, Unknown) and _as_model(interp, obj) is not None and all(o is not obj for o, _ in out):
            out.append((obj, method))
    return out


def _check_broken(m: ModelObj) -> ModelObj:
    if m.broken is not None:
        raise m.broken
    return m


def _where(interp: Read, line: int) -> str:
    loc = interp.ev.at(line, 0)
    cell = getattr(loc, "cell", None)
    return f"cell {cell}, line {loc.line}" if cell else f"line {loc.line}"


def list_models(interp: Read) -> list[str]:
    """What the file builds: model variables, builder functions and model classes."""
    found: list[tuple[int, str, str]] = []  # (line, variable, shown)
    for v, m, line in interp.models:
        broken = getattr(m, "broken", None)
        where = _where(interp, broken.loc.line) if broken is not None and broken.loc else ""
        found.append((line, v, f"{v} (not read: {where}: {broken.message})" if broken else v))
    for _, line, bound, err, builds in interp.ev.failures:
        for name in bound if builds else ():
            found.append((line, name, f"{name} (not read: {_where(interp, line)}: {err.message})"))
    names = _in_order_once(found)
    for name, _ in _builders(interp):
        if name not in names:
            names.append(f"{name}()")
    for k, v in interp.ev.globals.items():
        if isinstance(v, UserClass) and v.kind == "model" and k not in names:
            names.append(f"{k} (class)")
    for k, _ in _hypermodels(interp):
        if k not in names:
            names.append(f"{k} (hypermodel)")
    return names


def note_choice(interp: Read, graph: Graph) -> None:
    """Which model the summary shows, of how many, and why (when the file builds several)."""
    if interp.choice is None:
        return
    var, why = interp.choice
    found = [(line, v, v) for v, _, line in interp.models]
    found += [(line, n, f"{n} (not read)") for _, line, bound, _, builds in interp.ev.failures if builds for n in bound]
    names = _in_order_once(found)
    graph.extras["choice"] = {"model": var, "why": why, "of": names}
    if len(names) > 1:
        graph.extras.setdefault("notes", []).append(
            f"of the {len(names)} models in the file ({', '.join(names)}), archcalc reads `{var}`: {why}; "
            "--model NAME picks another, --list-models lists them")



def model_total(interp: Read, m: Any) -> str:
    """`--list-models`: a model's parameter total, or why it cannot be read."""
    from archcalc.engine import analyze

    try:
        got = _as_model(interp, m)
        if got is None:
            return ""
        result = analyze(interp.graph_of(_check_broken(got), None))
    except ArchcalcError as err:
        where = f"{_where(interp, err.loc.line)}: " if err.loc and err.loc.line else ""
        return f"not read: {where}{err.message}"
    except RecursionError:
        return "not read: the code is nested too deeply"
    total = result.total_params
    return f"{total:,} params" if isinstance(total, int) else f"{total} params"



def _in_order_once(found: list[tuple[int, str, str]]) -> list[str]:
    """(line, model name, text shown) -> the texts by line, each model once (its first line)."""
    names: list[str] = []
    seen: set[str] = set()
    for _, v, shown in sorted(found, key=lambda f: f[0]):
        if v not in seen:
            seen.add(v)
            names.append(shown)
    return names
