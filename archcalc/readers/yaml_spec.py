"""The YAML spec front-end.

A spec names an input shape and lists layers in Keras call syntax::

    name: notes-cnn
    input: [64, 64, 3]
    layers:
      - Conv2D(32, (3, 3), activation='relu')
      - p1: MaxPooling2D((2, 2))
      - Flatten()
      - Dense(10, activation='softmax')

Entries may be named (``- c1: Conv2D(...)``), called on other names
(``- Concatenate()([u1, c2])``), repeated (``- Dense(64) * 3``), and may call reusable
blocks declared under ``blocks:`` (``- res_block(64) * 2``). See the README for the full
syntax. The file is read with PyYAML's safe composer: no tags, no code.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archcalc import limits
from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.graph import Graph
from archcalc.layers import registry
from archcalc.layers.base import LayerType
from archcalc.readers.builder import GraphBuilder, read_text
from archcalc.readers.calls import (
    CallError,
    Evaluator,
    func_name,
    leading_ws,
    parse_expr,
    ref_names,
    to_spec_error,
)

MAX_BYTES = limits.MAX_SPEC_BYTES
MAX_NODES = limits.MAX_YAML_NODES
MAX_REPEAT = limits.MAX_REPEAT
MAX_BLOCK_DEPTH = limits.MAX_BLOCK_DEPTH

TOP_KEYS = ("name", "description", "input", "layers", "outputs", "compile", "blocks", "params", "expect", "budget",
            "task")

try:  # the C composer is much faster on large specs; both are safe loaders
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Turns composed YAML nodes into Python values, counting nodes to stop alias bombs."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0

    def value(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError(
                "the YAML expands to too many values (an alias bomb?)",
                loc=_loc(self.path, node),
                hint="specs do not need anchors that expand to millions of values",
            )
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(n) for n in node.value]
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k, v in node.value:
                key = self.value(k)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise SpecError("mapping keys must be plain values", loc=_loc(self.path, k))
                out[key] = self.value(v)
            return out
        raise SpecError("unsupported YAML node", loc=_loc(self.path, node))  # pragma: no cover


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of a scalar with the safe loader's implicit types."""
    if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
        return node.value
    return _CONSTRUCTOR.construct_object(node, deep=True)


@dataclass
class BlockDef:
    name: str
    params: dict[str, Any]  # name -> default (REQUIRED when none)
    inputs: list[str]
    layers: yaml.SequenceNode
    output: str | None
    loc: Location


_REQUIRED = object()


@dataclass
class Scope:
    """Names visible while reading a list of layers: the spec's, or one block call's."""

    env: dict[str, Any]  # parameters
    names: dict[str, str] = field(default_factory=dict)  # local name -> graph node name
    prefix: str = ""
    prev: str | None = None
    depth: int = 0
    block: tuple[str, ...] = ()  # the block calls this scope is inside, outermost first


class SpecReader:
    """Reads one spec file into a Graph."""

    def __init__(self, path: str, text: str, overrides: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self.text = text
        self.overrides = dict(overrides or {})
        self.conv = _Converter(path)
        self.graph = Graph(path=path)
        self.builder = GraphBuilder(self.graph)
        self.blocks: dict[str, BlockDef] = {}
        self.block_uses: dict[str, int] = {}

    # -- entry point ------------------------------------------------------------------

    def read(self) -> Graph:
        root = self._compose()
        if not isinstance(root, yaml.MappingNode):
            raise SpecError(
                "a spec must be a mapping with `input:` and `layers:`",
                loc=_loc(self.path, root),
                hint="see samples/cnn.yaml for an example",
            )
        sections: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in root.value:
            key = self.conv.value(k)
            if key not in TOP_KEYS:
                raise SpecError(
                    f"unknown section '{key}'",
                    loc=_loc(self.path, k),
                    hint=did_you_mean(str(key), TOP_KEYS) or "sections: " + ", ".join(TOP_KEYS),
                )
            if key in sections:
                raise SpecError(f"section '{key}' appears twice", loc=_loc(self.path, k))
            sections[key] = (k, v)
        g = self.graph
        if "name" in sections:
            g.name = str(self.conv.value(sections["name"][1]))
        else:
            g.name = Path(self.path).stem
        env = self._params(sections.get("params"))
        if "blocks" in sections:
            self._blocks(sections["blocks"][1])
        if "layers" not in sections:
            raise SpecError("the spec has no `layers:` list", loc=Location(self.path, 1, 1),
                            hint="add `layers:` with one Keras layer call per entry")
        layers_node = sections["layers"][1]
        if not isinstance(layers_node, yaml.SequenceNode) or not layers_node.value:
            raise SpecError("`layers:` must be a non-empty list", loc=_loc(self.path, layers_node),
                            hint="- Dense(10, activation='softmax')")
        scope = Scope(env=env)
        self._inputs(sections.get("input"), layers_node, scope)
        self._layers(layers_node, scope)
        if "outputs" in sections:
            self._outputs(sections["outputs"][1], scope)
        else:
            g.outputs = [scope.prev] if scope.prev else []
        if "compile" in sections:
            k, v = sections["compile"]
            value = self.conv.value(v)
            if not isinstance(value, dict):
                raise SpecError("`compile:` must be a mapping (optimizer, loss, metrics)", loc=_loc(self.path, v))
            g.compile = value
            g.compile_loc = _loc(self.path, k)
        for key in ("expect", "budget", "description"):
            if key in sections:
                k, v = sections[key]
                g.extras[key] = self.conv.value(v)
                g.extras[key + "_loc"] = _loc(self.path, k)
                g.extras[key + "_node"] = v
        if "task" in sections:
            k, v = sections["task"]
            task = self.conv.value(v)
            if not isinstance(task, str):
                raise SpecError("`task:` names the training task archcalc train generates, e.g. task: vae",
                                loc=_loc(self.path, v))
            g.extras["task"] = task
        g.extras["params"] = env
        return g

    def _compose(self) -> yaml.Node:
        try:
            node = yaml.compose(self.text, Loader=_Loader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            loc = Location(self.path, mark.line + 1, mark.column + 1) if mark else Location(self.path)
            raise SpecError(f"invalid YAML: {e.problem or e.context}", loc=loc,
                            hint="quote an entry that contains ': ' or '#', e.g. - \"Dense(10)\"") from None
        except yaml.reader.ReaderError as e:  # a control character: no mark, a position
            before = self.text[:e.position]
            loc = Location(self.path, before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1)
            raise SpecError(f"invalid YAML: character U+{int(e.character) if isinstance(e.character, int) else ord(e.character):04X} is not allowed in YAML text",
                            loc=loc, hint="remove the control character") from None
        except yaml.YAMLError as e:
            raise SpecError(f"invalid YAML: {e}", loc=Location(self.path)) from None
        except RecursionError:
            raise SpecError("the YAML is nested too deeply", loc=Location(self.path)) from None
        if node is None:
            raise SpecError("the spec is empty", loc=Location(self.path, 1, 1),
                            hint="a spec needs `input:` and `layers:`; see samples/cnn.yaml")
        self._refuse_tags(node)
        return node

    def _refuse_tags(self, root: yaml.Node) -> None:
        """SpecError at the first explicit tag (``!foo``, ``!!python/name:...``, ``!!int``):
        a spec's values are plain YAML, and a tag would change what a value means."""
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:  # an alias: its node was checked where its anchor is
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                plain = node.style is None or node.style == ""
                implicit = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) if plain \
                    else "tag:yaml.org,2002:str"
                ok = node.tag in (implicit, "tag:yaml.org,2002:str")
            elif isinstance(node, yaml.SequenceNode):
                ok = node.tag == "tag:yaml.org,2002:seq"
                stack.extend(node.value)
            else:
                ok = node.tag == "tag:yaml.org,2002:map"
                for k, v in node.value:
                    stack.extend((k, v))
            if not ok:
                raise SpecError(f"YAML tags are not supported (found '{node.tag}')", loc=_loc(self.path, node),
                                hint="remove the tag: a spec holds plain values, lists and mappings")

    # -- sections ---------------------------------------------------------------------

    def _params(self, item: tuple[yaml.Node, yaml.Node] | None) -> dict[str, Any]:
        env: dict[str, Any] = {}
        if item is not None:
            k, v = item
            value = self.conv.value(v)
            if not isinstance(value, dict):
                raise SpecError("`params:` must map names to values", loc=_loc(self.path, v))
            for name, val in value.items():
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"parameter name {name!r} is not an identifier", loc=_loc(self.path, v))
                env[name] = val
        for name, val in self.overrides.items():
            if name not in env:
                raise SpecError(
                    f"--set {name}=...: the spec has no parameter '{name}'",
                    hint=did_you_mean(name, env) or ("parameters: " + ", ".join(env) if env else "declare it under `params:`"),
                )
            env[name] = val
        return env

    def _blocks(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            raise SpecError("`blocks:` must map block names to definitions", loc=_loc(self.path, node))
        for k, v in node.value:
            name = self.conv.value(k)
            loc = _loc(self.path, k)
            if not isinstance(name, str) or not name.isidentifier():
                raise SpecError(f"block name {name!r} is not an identifier", loc=loc)
            if registry.get(name):
                raise SpecError(f"block name '{name}' hides the Keras layer {name}", loc=loc)
            if not isinstance(v, yaml.MappingNode):
                raise SpecError(f"block '{name}' must be a mapping with `layers:`", loc=_loc(self.path, v))
            parts = {self.conv.value(a): (a, b) for a, b in v.value}
            unknown = set(parts) - {"params", "layers", "output", "inputs"}
            if unknown:
                bad = sorted(map(str, unknown))[0]
                raise SpecError(f"unknown key '{bad}' in block '{name}'", loc=_loc(self.path, parts[bad][0]),
                                hint="a block has params, inputs, layers and output")
            params: dict[str, Any] = {}
            if "params" in parts:
                raw = self.conv.value(parts["params"][1])
                if isinstance(raw, list):
                    for p in raw:
                        if isinstance(p, dict):
                            params.update(p)
                        else:
                            params[str(p)] = _REQUIRED
                elif isinstance(raw, dict):
                    params = {str(a): (_REQUIRED if b is None else b) for a, b in raw.items()}
                else:
                    raise SpecError(f"params of block '{name}' must be a list or mapping",
                                    loc=_loc(self.path, parts["params"][1]))
            inputs = ["input"]
            if "inputs" in parts:
                raw = self.conv.value(parts["inputs"][1])
                if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
                    raise SpecError(f"inputs of block '{name}' must be a list of names",
                                    loc=_loc(self.path, parts["inputs"][1]))
                inputs = raw
            if "layers" not in parts or not isinstance(parts["layers"][1], yaml.SequenceNode):
                raise SpecError(f"block '{name}' needs a `layers:` list", loc=loc)
            output = str(self.conv.value(parts["output"][1])) if "output" in parts else None
            self.blocks[name] = BlockDef(name, params, inputs, parts["layers"][1], output, loc)

    def _shape(self, node: yaml.Node, env: dict[str, Any]) -> tuple:
        value = self.conv.value(node)
        if not isinstance(value, list) or not value:
            raise SpecError(
                f"an input shape must be a list such as [64, 64, 3], got {value!r}",
                loc=_loc(self.path, node),
                hint="give the shape without the batch axis; null for an unknown size",
            )
        out: list[Any] = []
        for d in value:
            if isinstance(d, str) and d in env:
                d = env[d]
            elif isinstance(d, str) and d.isidentifier():
                # an undeclared name is a symbolic size; sympy only loads for such specs
                import sympy

                d = sympy.Symbol(d, integer=True, positive=True)
            if d is None:
                out.append(None)
            elif isinstance(d, int) and not isinstance(d, bool) and d > 0:
                out.append(d)
            elif hasattr(d, "free_symbols"):
                out.append(d)
            else:
                raise SpecError(
                    f"input sizes must be positive integers or null, got {d!r} in {value!r}",
                    loc=_loc(self.path, node),
                    hint="use null for a size that is not known" if not isinstance(d, str)
                    else f"declare '{d}' under `params:`",
                )
        return tuple(out)

    def _inputs(self, item: tuple[yaml.Node, yaml.Node] | None, layers: yaml.SequenceNode, scope: Scope) -> None:
        if item is None:
            # Keras style: input_shape= on the first layer
            first = layers.value[0]
            text_node = first.value[0][1] if isinstance(first, yaml.MappingNode) and first.value else first
            shape = self._first_layer_input_shape(text_node, scope)
            if shape is None:
                raise SpecError(
                    "the spec has no `input:` shape",
                    loc=Location(self.path, 1, 1),
                    hint="add e.g. `input: [64, 64, 3]` (without the batch axis)",
                )
            self.builder.add_input("input", shape, _loc(self.path, text_node))
            scope.names["input"] = "input"
            scope.prev = "input"
            return
        k, v = item
        if isinstance(v, yaml.MappingNode):
            for kn, vn in v.value:
                name = self.conv.value(kn)
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"input name {name!r} is not an identifier", loc=_loc(self.path, kn))
                self.builder.add_input(name, self._shape(vn, scope.env), _loc(self.path, kn))
                scope.names[name] = name
            scope.prev = self.graph.inputs[0] if len(self.graph.inputs) == 1 else None
        else:
            self.builder.add_input("input", self._shape(v, scope.env), _loc(self.path, k))
            scope.names["input"] = "input"
            scope.prev = "input"

    def _first_layer_input_shape(self, node: yaml.Node, scope: Scope) -> tuple | None:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            expr = parse_expr(str(node.value))
        except CallError:
            return None
        if not isinstance(expr, ast.Call):
            return None
        for kw in expr.keywords:
            if kw.arg in ("input_shape", "input_dim"):
                try:
                    v = Evaluator(scope.env).eval(kw.value)
                except CallError:
                    return None
                shape = (v,) if kw.arg == "input_dim" else tuple(v) if isinstance(v, (list, tuple)) else None
                return shape
        return None

    def _outputs(self, node: yaml.Node, scope: Scope) -> None:
        value = self.conv.value(node)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise SpecError("`outputs:` must be a list of layer names", loc=_loc(self.path, node))
        outs = []
        indices: list[int | None] = []
        for i, name in enumerate(value):
            n = node.value[i] if isinstance(node, yaml.SequenceNode) else node
            index = None
            if isinstance(name, str) and name.endswith("]") and "[" in name:  # lstm[1]: one output
                base, _, rest = name[:-1].partition("[")
                if rest.lstrip("-").isdigit():
                    name, index = base.strip(), int(rest)
            if not isinstance(name, str) or name not in scope.names:
                raise SpecError(f"output '{name}' is not a layer name", loc=_loc(self.path, n),
                                hint=did_you_mean(str(name), scope.names))
            outs.append(scope.names[name])
            indices.append(index)
        self.graph.outputs = outs
        self.graph.output_index = indices if any(ix is not None for ix in indices) else []

    # -- layers -----------------------------------------------------------------------

    def _layers(self, seq: yaml.SequenceNode, scope: Scope) -> None:
        for item in seq.value:
            if isinstance(item, yaml.MappingNode):
                if len(item.value) != 1:
                    raise SpecError(
                        "a named entry has exactly one `name: Layer(...)` pair",
                        loc=_loc(self.path, item),
                        hint="write one layer per list entry: - c1: Conv2D(32, 3)",
                    )
                kn, vn = item.value[0]
                name = self.conv.value(kn)
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"layer name {name!r} is not an identifier", loc=_loc(self.path, kn),
                                    hint="names are used like Python variables: c1, conv_block")
                text_node = vn
            elif isinstance(item, yaml.ScalarNode):
                name = None
                text_node = item
            else:
                raise SpecError("a layer entry is a call such as Dense(10) or `name: Dense(10)`",
                                loc=_loc(self.path, item))
            if not isinstance(text_node, yaml.ScalarNode) or text_node.tag != "tag:yaml.org,2002:str":
                raise SpecError(
                    f"expected a layer call such as Dense(10), got {self.conv.value(text_node)!r}",
                    loc=_loc(self.path, text_node),
                )
            self._entry(str(text_node.value), name, text_node, scope)

    def _entry(self, text: str, name: str | None, node: yaml.ScalarNode, scope: Scope) -> None:
        loc = _loc(self.path, node)
        offset = (1 if node.style in ("'", '"') else 0) + leading_ws(text)
        try:
            expr = parse_expr(text)
            self._expr(expr, name, loc, offset, scope, text.strip())
        except CallError as e:
            raise to_spec_error(e, loc, offset) from None

    def _expr(self, expr: ast.expr, name: str | None, loc: Location, offset: int, scope: Scope, text: str) -> None:
        repeat = 1
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
            n = expr.right
            if not (isinstance(n, ast.Constant) and isinstance(n.value, int) and not isinstance(n.value, bool)):
                if isinstance(n, ast.Name) and n.id in scope.env and isinstance(scope.env[n.id], int):
                    count = scope.env[n.id]
                else:
                    raise CallError("repeat a layer with `* N` where N is an integer", n.col_offset)
            else:
                count = n.value
            if not 1 <= count <= MAX_REPEAT:
                raise CallError(f"repeat count must be between 1 and {MAX_REPEAT}, got {count}", n.col_offset)
            repeat, expr = count, expr.left
        if not isinstance(expr, ast.Call):
            raise CallError("expected a layer call such as Dense(10)", getattr(expr, "col_offset", 0))
        refs: list[str] | None = None
        indices: list[int | None] = []
        list_input = False
        call = expr
        if isinstance(call.func, ast.Call):  # Layer(...)(inputs)
            if len(call.args) != 1 or call.keywords:
                raise CallError("call a layer on one name or one list of names", call.col_offset)
            refs, indices, list_input = ref_names(call.args[0])
            call = call.func
        fname = func_name(call)
        if fname is None:
            raise CallError("expected a layer name before '('", call.col_offset)
        for i in range(repeat):
            entry_name = name if repeat == 1 or name is None else f"{name}_{i + 1}"
            inputs = self._resolve_refs(refs, scope, call) if (refs is not None and i == 0) else None
            if fname in self.blocks and not registry.get(fname):
                if any(ix is not None for ix in indices):
                    raise CallError("a block reads whole layer outputs; name[i] works on layers only",
                                    call.col_offset)
                out = self._call_block(self.blocks[fname], call, entry_name, inputs, loc, offset, scope)
            elif fname in scope.names and registry.get(fname) is None:
                out = self._shared_call(fname, call, entry_name, loc, scope, refs)
            else:
                layer = self._make_layer(call, scope)
                if inputs is None:
                    inputs = self._default_input(scope, call)
                given = layer.given.get("name")
                if entry_name is None and isinstance(given, str) and given:
                    # Dense(2, name='foo') is named foo, as in Keras
                    node_name = self._global_name(given if repeat == 1 else f"{given}_{i + 1}", scope)
                else:
                    node_name = self._global_name(entry_name, scope)
                node = self.builder.add_layer(
                    layer, inputs, name=node_name, loc=Location(loc.path, loc.line, loc.column + offset + call.col_offset),
                    list_input=list_input, input_index=indices if i == 0 else None,
                    meta={"source": text, "block": scope.block} if scope.block else {"source": text},
                )
                out = node.name
            if entry_name:
                scope.names[entry_name] = out
            if name and repeat > 1 and i == repeat - 1:
                scope.names[name] = out
            scope.prev = out

    def _global_name(self, local: str | None, scope: Scope) -> str | None:
        if local is None:
            return None
        return f"{scope.prefix}{local}"

    def _default_input(self, scope: Scope, call: ast.Call) -> list[str]:
        if scope.prev is None:
            raise CallError(
                "this layer does not say which input it reads",
                call.col_offset,
                hint="with several inputs, call the first layer on one: Dense(8)(title)",
            )
        return [scope.prev]

    def _resolve_refs(self, refs: list[str], scope: Scope, call: ast.Call) -> list[str]:
        out = []
        for r in refs:
            if r not in scope.names:
                known = [n for n in scope.names]
                raise CallError(
                    f"'{r}' is used before it is defined",
                    call.col_offset,
                    hint=did_you_mean(r, known) or "a layer can only read names defined above it",
                )
            out.append(scope.names[r])
        return out

    def _make_layer(self, call: ast.Call, scope: Scope) -> LayerType:
        fname = func_name(call)
        if fname is None:
            raise CallError("expected a Keras layer call such as LSTM(64)", call.col_offset)
        # saved=True: also the classes Keras ships outside keras.layers (ConvNeXt's LayerScale)
        cls = registry.get(fname, saved=True)
        if cls is None:
            err = registry.unknown_layer(fname, saved=True, also=self.blocks)
            raise CallError(err.message, call.col_offset, hint=err.hint)
        ev = Evaluator(scope.env, make_layer=lambda c: self._make_layer(c, scope))
        args, kwargs = ev.call_args(call)
        try:
            return cls.bind(args, kwargs)
        except SpecError as e:
            raise CallError(e.message, call.col_offset, e.hint) from None

    def _shared_call(self, fname: str, call: ast.Call, entry_name: str | None, loc: Location,
                     scope: Scope, refs: list[str] | None) -> str:
        """`enc(b)`: call an existing layer again on new inputs (shared weights)."""
        target = self.graph.nodes[scope.names[fname]]
        if target.layer is None:
            raise CallError(f"'{fname}' is an input, not a layer", call.col_offset)
        if refs is not None or call.keywords or len(call.args) != 1:
            raise CallError(f"call the shared layer on its inputs: {fname}(x) or {fname}([a, b])", call.col_offset)
        names, indices, was_list = ref_names(call.args[0])
        inputs = self._resolve_refs(names, scope, call)
        node = self.builder.add_layer(
            target.layer, inputs, name=self._global_name(entry_name, scope),
            loc=Location(loc.path, loc.line, loc.column + call.col_offset),
            list_input=was_list, input_index=indices, shared_with=target.shared_with or target.name,
            meta={"block": scope.block} if scope.block else None,
        )
        return node.name

    def _call_block(self, block: BlockDef, call: ast.Call, entry_name: str | None, inputs: list[str] | None,
                    loc: Location, offset: int, scope: Scope) -> str:
        if scope.depth >= MAX_BLOCK_DEPTH:
            raise CallError(f"blocks are nested more than {MAX_BLOCK_DEPTH} deep (does '{block.name}' call itself?)",
                            call.col_offset)
        ev = Evaluator(scope.env)
        args, kwargs = ev.call_args(call)
        names = list(block.params)
        if len(args) > len(names):
            raise CallError(f"block '{block.name}' takes {len(names)} argument(s), got {len(args)}", call.col_offset,
                            hint=f"{block.name}({', '.join(names)})")
        env = dict(scope.env)
        bound = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in block.params:
                raise CallError(f"block '{block.name}' has no parameter '{k}'", call.col_offset,
                                hint=did_you_mean(k, names) or f"{block.name}({', '.join(names)})")
            if k in bound:
                raise CallError(f"block '{block.name}' got two values for '{k}'", call.col_offset)
            bound[k] = v
        for p, default in block.params.items():
            if p not in bound:
                if default is _REQUIRED:
                    raise CallError(f"block '{block.name}' needs a value for '{p}'", call.col_offset,
                                    hint=f"{block.name}({', '.join(names)})")
                bound[p] = default
        env.update(bound)
        if inputs is None:
            inputs = self._default_input(scope, call)
        if len(inputs) != len(block.inputs):
            raise CallError(f"block '{block.name}' takes {len(block.inputs)} input(s), got {len(inputs)}",
                            call.col_offset)
        use = self.block_uses.get(block.name, 0) + 1
        self.block_uses[block.name] = use
        instance = entry_name or f"{block.name}_{use}"
        inner = Scope(env=env, prefix=f"{scope.prefix}{instance}_", depth=scope.depth + 1,
                      block=(*scope.block, f"{scope.prefix}{instance}"))
        for local, tensor in zip(block.inputs, inputs):
            inner.names[local] = tensor
        inner.prev = inputs[0]
        self._layers(block.layers, inner)
        if block.output:
            if block.output not in inner.names:
                raise SpecError(f"block '{block.name}' output '{block.output}' is not one of its layers",
                                loc=block.loc)
            return inner.names[block.output]
        assert inner.prev is not None
        return inner.prev


def load_text(text: str, path: str = "<spec>", overrides: Mapping[str, Any] | None = None) -> Graph:
    return SpecReader(path, text, overrides).read()


def load(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Graph:
    """Read a YAML spec file into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "spec file")
    return load_text(text, str(path), overrides)
