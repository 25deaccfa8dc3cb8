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
blocks declared under ``blocks:`` (``- res_block(64) * 2``). See docs/spec.md for the full
syntax. The file is read with PyYAML's safe composer: no tags, no code.

This module reads the spec's sections (``input:``, ``params:``, ``blocks:``, ``outputs:``,
``compile:``...); ``yaml_text.py`` composes the YAML and converts values,
``yaml_assembly.py`` makes the layer entries into graph nodes.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from archcalc import limits
from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.graph import Graph
from archcalc.layers import registry
from archcalc.readers.builder import GraphBuilder, read_text
from archcalc.readers.calls import CallError, Evaluator, parse_expr
from archcalc.readers.yaml_assembly import REQUIRED, BlockDef, LayerAssembler, Scope
from archcalc.readers.yaml_text import SPEC_HINT, Converter, compose, node_loc

MAX_BYTES = limits.MAX_SPEC_BYTES

TOP_KEYS = ("name", "description", "input", "layers", "outputs", "compile", "blocks", "params", "expect", "budget",
            "task")


class SpecReader:
    """Reads one spec file into a Graph."""

    def __init__(self, path: str, text: str, overrides: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self.text = text
        self.overrides = dict(overrides or {})
        self.conv = Converter(path)
        self.graph = Graph(path=path)
        self.builder = GraphBuilder(self.graph)
        self.assembler = LayerAssembler(path, self.conv, self.graph, self.builder)
        self.blocks = self.assembler.blocks

    # -- entry point ------------------------------------------------------------------

    def read(self) -> Graph:
        root = compose(self.text, self.path)
        if not isinstance(root, yaml.MappingNode):
            raise SpecError(
                "a spec must be a mapping with `input:` and `layers:`",
                loc=node_loc(self.path, root),
                hint=SPEC_HINT,
            )
        sections: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in root.value:
            key = self.conv.value(k)
            if key not in TOP_KEYS:
                raise SpecError(
                    f"unknown section '{key}'",
                    loc=node_loc(self.path, k),
                    hint=did_you_mean(str(key), TOP_KEYS) or "sections: " + ", ".join(TOP_KEYS),
                )
            if key in sections:
                raise SpecError(f"section '{key}' appears twice", loc=node_loc(self.path, k))
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
            raise SpecError("`layers:` must be a non-empty list", loc=node_loc(self.path, layers_node),
                            hint="- Dense(10, activation='softmax')")
        scope = Scope(env=env)
        self._inputs(sections.get("input"), layers_node, scope)
        self.assembler.layers(layers_node, scope)
        if "outputs" in sections:
            self._outputs(sections["outputs"][1], scope)
        else:
            g.outputs = [scope.prev] if scope.prev else []
        if "compile" in sections:
            k, v = sections["compile"]
            value = self.conv.value(v)
            if not isinstance(value, dict):
                raise SpecError("`compile:` must be a mapping (optimizer, loss, metrics)", loc=node_loc(self.path, v))
            g.compile = value
            g.compile_loc = node_loc(self.path, k)
        for key in ("expect", "budget", "description"):
            if key in sections:
                k, v = sections[key]
                g.extras[key] = self.conv.value(v)
                g.extras[key + "_loc"] = node_loc(self.path, k)
                g.extras[key + "_node"] = v
        if "task" in sections:
            k, v = sections["task"]
            task = self.conv.value(v)
            if not isinstance(task, str):
                raise SpecError("`task:` names the training task archcalc train generates, e.g. task: vae",
                                loc=node_loc(self.path, v))
            g.extras["task"] = task
        g.extras["params"] = env
        return g

    # -- sections ---------------------------------------------------------------------

    def _params(self, item: tuple[yaml.Node, yaml.Node] | None) -> dict[str, Any]:
        env: dict[str, Any] = {}
        if item is not None:
            k, v = item
            value = self.conv.value(v)
            if not isinstance(value, dict):
                raise SpecError("`params:` must map names to values", loc=node_loc(self.path, v))
            for name, val in value.items():
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"parameter name {name!r} is not an identifier", loc=node_loc(self.path, v))
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
            raise SpecError("`blocks:` must map block names to definitions", loc=node_loc(self.path, node))
        for k, v in node.value:
            name = self.conv.value(k)
            loc = node_loc(self.path, k)
            if not isinstance(name, str) or not name.isidentifier():
                raise SpecError(f"block name {name!r} is not an identifier", loc=loc)
            if registry.get(name):
                raise SpecError(f"block name '{name}' hides the Keras layer {name}", loc=loc)
            if not isinstance(v, yaml.MappingNode):
                raise SpecError(f"block '{name}' must be a mapping with `layers:`", loc=node_loc(self.path, v))
            parts = {self.conv.value(a): (a, b) for a, b in v.value}
            unknown = set(parts) - {"params", "layers", "output", "inputs"}
            if unknown:
                bad = sorted(map(str, unknown))[0]
                raise SpecError(f"unknown key '{bad}' in block '{name}'", loc=node_loc(self.path, parts[bad][0]),
                                hint="a block has params, inputs, layers and output")
            params: dict[str, Any] = {}
            if "params" in parts:
                raw = self.conv.value(parts["params"][1])
                if isinstance(raw, list):
                    for p in raw:
                        if isinstance(p, dict):
                            params.update(p)
                        else:
                            params[str(p)] = REQUIRED
                elif isinstance(raw, dict):
                    params = {str(a): (REQUIRED if b is None else b) for a, b in raw.items()}
                else:
                    raise SpecError(f"params of block '{name}' must be a list or mapping",
                                    loc=node_loc(self.path, parts["params"][1]))
            inputs = ["input"]
            if "inputs" in parts:
                raw = self.conv.value(parts["inputs"][1])
                if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
                    raise SpecError(f"inputs of block '{name}' must be a list of names",
                                    loc=node_loc(self.path, parts["inputs"][1]))
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
                loc=node_loc(self.path, node),
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
                    loc=node_loc(self.path, node),
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
            self.builder.add_input("input", shape, node_loc(self.path, text_node))
            scope.names["input"] = "input"
            scope.prev = "input"
            return
        k, v = item
        if isinstance(v, yaml.MappingNode):
            for kn, vn in v.value:
                name = self.conv.value(kn)
                if not isinstance(name, str) or not name.isidentifier():
                    raise SpecError(f"input name {name!r} is not an identifier", loc=node_loc(self.path, kn))
                self.builder.add_input(name, self._shape(vn, scope.env), node_loc(self.path, kn))
                scope.names[name] = name
            scope.prev = self.graph.inputs[0] if len(self.graph.inputs) == 1 else None
        else:
            self.builder.add_input("input", self._shape(v, scope.env), node_loc(self.path, k))
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
            raise SpecError("`outputs:` must be a list of layer names", loc=node_loc(self.path, node))
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
                raise SpecError(f"output '{name}' is not a layer name", loc=node_loc(self.path, n),
                                hint=did_you_mean(str(name), scope.names))
            outs.append(scope.names[name])
            indices.append(index)
        self.graph.outputs = outs
        self.graph.output_index = indices if any(ix is not None for ix in indices) else []


def load_text(text: str, path: str = "<spec>", overrides: Mapping[str, Any] | None = None) -> Graph:
    return SpecReader(path, text, overrides).read()


def load(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Graph:
    """Read a YAML spec file into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "spec file")
    return load_text(text, str(path), overrides)
