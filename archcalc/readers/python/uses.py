"""What the program does with its models (part of the library side): the model uses that pick
"the" model (``MODEL_USES``: trained last, else saved or shown last; model_choice.pick_model), read
where an attribute is read and in the loops the evaluator skips (LibraryApi.skipped)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from archcalc.readers.python.model_choice import MODEL_USES
from archcalc.readers.python.values import Instance, ModelObj, Unknown, UserClass, UserFunc

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object


#: how deep a skipped loop's model uses are followed into the file's own functions it calls
SKIPPED_CALL_DEPTH = 4


class UsesMixin(_Side):
    """The Interpreter's record of model uses."""

    def note_use(self, obj: Any, name: str, e: ast.Attribute) -> None:
        """``model.fit`` / ``model.save`` read: what the program does with a model (MODEL_USES)."""
        rank = MODEL_USES.get(name)
        if isinstance(obj, Unknown) and isinstance(obj.of, UserClass) and not rank:
            # a method of an object whose making failed (net.training(...)): it uses the
            # model the object holds as its body does (self.model.fit(...))
            rank = method_use(obj.of, name)
        if rank and (isinstance(obj, (ModelObj, Unknown)) or (isinstance(obj, Instance) and obj.cls.kind == "model")):
            self.uses.append((rank, obj, name, e.lineno))

    def skipped(self, body: list[ast.stmt], env: Mapping[str, Any], depth: int = 0,
                seen: set[int] | None = None) -> None:
        """LibraryApi.skipped: a loop the reader skips (over data, or ``while``) still says which
        model the program trains: ``self.combined.train_on_batch(...)``, ``model.fit(...)``
        inside it are recorded (their receivers looked up, nothing evaluated), and so are those
        in the file's own functions and methods it calls (``self.train_step(batch)``: a custom
        loop's ``tape.gradient(loss, disc.trainable_variables)``), a few calls deep."""
        seen = set() if seen is None else seen
        found = [n for n in ast.walk(ast.Module(body=body, type_ignores=[]))
                 if (isinstance(n, ast.Attribute) and n.attr in MODEL_USES) or isinstance(n, ast.Call)]
        # in the order the program runs them: the last one in the loop's body is the last one run
        for node in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(node, ast.Call):
                if depth < SKIPPED_CALL_DEPTH:
                    self._skipped_call(node, env, depth, seen)
                continue
            obj = self.static_value(node.value, env)
            if _is_model(obj) or (isinstance(obj, Unknown) and obj.failed is not None):
                self.uses.append((MODEL_USES[node.attr], obj, node.attr, node.lineno))

    def _skipped_call(self, call: ast.Call, env: Mapping[str, Any], depth: int, seen: set[int]) -> None:
        """The uses in a file function or method a skipped loop calls (each function once)."""
        fn: ast.FunctionDef | None = None
        scope: dict[str, Any] = {}
        if isinstance(call.func, ast.Name):
            f = self.static_value(call.func, env)
            if isinstance(f, UserFunc) and isinstance(f.node, ast.FunctionDef):
                fn = f.node
                scope = dict(f.closure or {})
                params = [a.arg for a in fn.args.args]
                if f.bound is not None and params:
                    scope[params.pop(0)] = f.bound
                # the arguments it is given (train(model, x, y)), looked up without evaluating
                given = [*zip(params, call.args), *((k.arg, k.value) for k in call.keywords if k.arg)]
                for param, arg in given:
                    value = self.static_value(arg, env)
                    if value is not None:
                        scope[param] = value
        elif isinstance(call.func, ast.Attribute):
            owner = self.static_value(call.func.value, env)
            if isinstance(owner, Instance):
                fn = owner.cls.method(call.func.attr)
                if fn is not None and fn.args.args:
                    scope[fn.args.args[0].arg] = owner
        if fn is None or id(fn) in seen:
            return
        seen.add(id(fn))
        self.skipped(fn.body, scope, depth + 1, seen)

    def static_value(self, e: ast.expr, env: Mapping[str, Any]) -> Any:
        """A name or an attribute chain's value, looked up without evaluating anything."""
        g = self.ev.globals
        if isinstance(e, ast.Name):
            return env.get(e.id, g.get(e.id)) if e.id in env or e.id in g else None
        if isinstance(e, ast.Attribute):
            base = self.static_value(e.value, env)
            return base.attrs.get(e.attr) if isinstance(base, Instance) else None
        return None


def _is_model(v: Any) -> bool:
    return isinstance(v, ModelObj) or (isinstance(v, Instance) and v.cls.kind == "model")


def method_use(cls: UserClass, name: str, depth: int = 0) -> int:
    """How a method of a file class uses a model (MODEL_USES's rank: 2 trains, 1 saves or
    shows, 0 neither), read from its body and the methods of ``self`` it calls."""
    fn = cls.method(name)
    if fn is None or depth > SKIPPED_CALL_DEPTH:
        return 0
    rank = 0
    for n in ast.walk(fn):
        if isinstance(n, ast.Attribute) and n.attr in MODEL_USES:
            rank = max(rank, MODEL_USES[n.attr])
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                and n.func.value.id == "self" and n.func.attr != name:
            rank = max(rank, method_use(cls, n.func.attr, depth + 1))
    return rank
