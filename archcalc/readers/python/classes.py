"""The file's own classes: subclassed ``keras.Model``s and custom ``Layer``s, read statically.

A model subclass makes its layers in ``__init__`` (``self.dense = Dense(64)``) and composes them
in ``call()``. The reader runs ``__init__`` on an :class:`Instance`, then traces ``call()`` on
inputs of the model's input shape (from ``build((None, 784))``, a call on a tensor, or the data
given to ``fit``), which gives an ordinary functional graph.

A layer subclass gets its weights from ``add_weight(shape=...)`` (in ``__init__`` or
``build(input_shape)``) plus the weights of the layers it calls, and its output shape from
``compute_output_shape()`` or, failing that, from tracing ``call()`` on its inputs (the notes'
``Sampling``: ``z_mean + exp(0.5 * z_log_var) * epsilon`` has the shape of ``z_mean``). In the
graph it is one node, as in Keras's summary.

Three modules, each mixin built on the one before: this one reads a class statement, makes
its objects (``__init__`` run on an :class:`Instance`), calls their methods and follows
``super()`` (``ClassesMixin``); tracing.py finds a custom layer's output shape and weights by
running its ``call()`` (``TracingMixin``); instances.py answers what the program does with the
objects: attributes, methods, calls, the model of a subclass (``InstancesMixin``).
"""

from __future__ import annotations

import ast
from typing import Any

from archcalc.errors import SpecError
from archcalc.readers.python import modules
from archcalc.readers.python.graph_nodes import NodesMixin
from archcalc.readers.python.values import (
    EvalError,
    Instance,
    Mod,
    Scope,
    Unknown,
    UserClass,
    UserFunc,
)


class ClassesMixin(NodesMixin):
    """The file's class statements and their objects, for the Interpreter."""

    def classdef(self, s: ast.ClassDef, env: dict[str, Any]) -> UserClass:
        kind = "other"
        bases: list[Any] = []
        for b in s.bases:
            try:
                base = self.ev.expr(b, env)
            except SpecError:
                continue
            bases.append(base)
            if isinstance(base, Mod) and modules.is_keras(base.path) and base.name in (
                    "Model", "Sequential", "Functional"):
                kind = "model"
            elif isinstance(base, Mod) and modules.is_keras(base.path) and (
                    base.name == "Layer" or base.path[:2] == ("keras", "layers")):
                kind = "layer" if kind == "other" else kind
            elif isinstance(base, UserClass) and base.kind != "other":
                kind = base.kind
        cls = UserClass(s.name, kind, s.lineno, s, env, bases, self.ev.at, self.ev.path)
        for stmt in s.body:  # class-level constants: class CFG: IMG_SIZE = 224
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if not names:
                    continue
                try:
                    value = self.ev.expr(stmt.value, Scope(dict(cls.attrs), env))
                except SpecError:
                    value = Unknown(f"{s.name}.{names[0]}", stmt.lineno)
                for n in names:
                    cls.attrs[n] = value
        return cls

    def instantiate(self, cls: UserClass, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        if cls.kind == "other":
            inst = Instance(cls, name=cls.name, loc=self.loc(e))
            init = cls.method("__init__")
            if init is not None and cls.node is not None:
                try:
                    self.call_method(inst, "__init__", args, kwargs, e)
                except EvalError:
                    pass
            return inst
        given = kwargs.get("name")
        inst = Instance(cls, name=given if isinstance(given, str) else "", loc=self.loc(e),
                        ctor=(list(args), dict(kwargs)))
        if cls.method("__init__") is not None:
            self.call_method(inst, "__init__", args, kwargs, e)
        if not inst.name:
            inst.name = self.uid(cls.name)
        return inst

    def call_method(self, inst: Instance, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        owner = inst.cls.owner_of(name)
        if owner is None or owner.node is None:
            return Unknown(f"{inst.cls.name}.{name}(...)", getattr(e, "lineno", 0))
        fn = owner.method(name)
        assert fn is not None
        f = UserFunc(fn, owner.closure or {}, owner.at, owner.path, bound=inst, owner=owner)
        self.self_stack.append(inst)
        try:
            return self.ev.call_user(f, args, kwargs, e)
        finally:
            self.self_stack.pop()

    def super_method(self, name: str) -> UserFunc | None:
        """``super().name`` inside a method of the file's class: the method of the next class of
        the file in self's method order that defines it (None: a Keras or library base)."""
        owner = self.ev.owners[-1] if self.ev.owners else None
        if owner is None or not self.self_stack:
            return None
        inst = self.self_stack[-1]
        order = _method_order(inst.cls) if isinstance(inst, Instance) else []
        at = next((i for i, c in enumerate(order) if c is owner), None)
        if at is None:
            return None
        for cls in order[at + 1:]:
            if cls.node is not None and any(isinstance(s, ast.FunctionDef) and s.name == name
                                            for s in cls.node.body):
                fn = cls.method(name)
                if fn is not None:
                    return UserFunc(fn, cls.closure or {}, cls.at, cls.path, bound=inst, owner=cls)
        return None


def _method_order(cls: UserClass) -> list[UserClass]:
    """The file's classes in ``cls``'s method resolution order (Python's C3 order for the
    single and simple multiple inheritance files use; library bases left out)."""
    order: list[UserClass] = []

    def walk(c: UserClass) -> None:
        order[:] = [o for o in order if o is not c]  # a shared base comes after its subclasses
        order.append(c)
        for b in c.bases:
            if isinstance(b, UserClass):
                walk(b)

    walk(cls)
    return order
