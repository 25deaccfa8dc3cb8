"""SARIF output validated against the SARIF 2.1.0 structure.

No schema is installed with the dependencies, and tests must not download one, so this
file holds the subset of the official sarif-schema-2.1.0.json (OASIS, 2020) that covers
every object archcalc emits: the same property names, required members, enums and
bounds, with ``additionalProperties: false`` wherever the official schema has it, so a
misspelt or invented member fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.lint import LintOptions, lint_paths
from archcalc.lint.reporters.sarif import build

MESSAGE = {
    "type": "object", "additionalProperties": False,
    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}, "id": {"type": "string"},
                   "arguments": {"type": "array"}, "properties": {"$ref": "#/definitions/propertyBag"}},
    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
}
MULTIFORMAT = {
    "type": "object", "additionalProperties": False, "required": ["text"],
    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"},
                   "properties": {"$ref": "#/definitions/propertyBag"}},
}
LEVEL = {"enum": ["none", "note", "warning", "error"]}

SARIF_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object", "additionalProperties": False, "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/run"}},
    },
    "definitions": {
        "propertyBag": {"type": "object", "properties": {"tags": {
            "type": "array", "uniqueItems": True, "items": {"type": "string"}}}},
        "message": MESSAGE,
        "multiformatMessageString": MULTIFORMAT,
        "run": {
            "type": "object", "additionalProperties": False, "required": ["tool"],
            "properties": {
                "tool": {"$ref": "#/definitions/tool"},
                "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            },
        },
        "tool": {"type": "object", "additionalProperties": False, "required": ["driver"],
                 "properties": {"driver": {"$ref": "#/definitions/toolComponent"}}},
        "toolComponent": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {
                "name": {"type": "string"}, "version": {"type": "string"},
                "semanticVersion": {"type": "string"},
                "informationUri": {"type": "string", "format": "uri"},
                "rules": {"type": "array", "uniqueItems": True,
                          "items": {"$ref": "#/definitions/reportingDescriptor"}},
            },
        },
        "reportingDescriptor": {
            "type": "object", "additionalProperties": False, "required": ["id"],
            "properties": {
                "id": {"type": "string"}, "name": {"type": "string"},
                "shortDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "fullDescription": {"$ref": "#/definitions/multiformatMessageString"},
                "help": {"$ref": "#/definitions/multiformatMessageString"},
                "helpUri": {"type": "string", "format": "uri"},
                "defaultConfiguration": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"enabled": {"type": "boolean"}, "level": LEVEL,
                                   "rank": {"type": "number", "minimum": -1, "maximum": 100}},
                },
                "properties": {"$ref": "#/definitions/propertyBag"},
            },
        },
        "invocation": {
            "type": "object", "additionalProperties": False, "required": ["executionSuccessful"],
            "properties": {
                "executionSuccessful": {"type": "boolean"},
                "toolExecutionNotifications": {"type": "array", "items": {"$ref": "#/definitions/notification"}},
            },
        },
        "notification": {
            "type": "object", "additionalProperties": False, "required": ["message"],
            "properties": {
                "message": {"$ref": "#/definitions/message"}, "level": LEVEL,
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
            },
        },
        "result": {
            "type": "object", "additionalProperties": False, "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
                "level": LEVEL, "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                "relatedLocations": {"type": "array", "uniqueItems": True,
                                     "items": {"$ref": "#/definitions/location"}},
                "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                "properties": {"$ref": "#/definitions/propertyBag"},
            },
        },
        "location": {
            "type": "object", "additionalProperties": False,
            "properties": {"id": {"type": "integer", "minimum": -1},
                           "physicalLocation": {"$ref": "#/definitions/physicalLocation"},
                           "message": {"$ref": "#/definitions/message"},
                           "properties": {"$ref": "#/definitions/propertyBag"}},
        },
        "physicalLocation": {
            "type": "object", "additionalProperties": False,
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
            "properties": {
                "artifactLocation": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"uri": {"type": "string", "format": "uri-reference"},
                                   "uriBaseId": {"type": "string"}, "index": {"type": "integer"}},
                },
                "region": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "startLine": {"type": "integer", "minimum": 1},
                        "startColumn": {"type": "integer", "minimum": 1},
                        "endLine": {"type": "integer", "minimum": 1},
                        "endColumn": {"type": "integer", "minimum": 1},
                    },
                },
                "address": {"type": "object"},
            },
        },
    },
}

NOTES_BUG = """\
input: [8]
layers:
  - Dense(10, activation='relu')
  - Dropout(0.8)
  - Dense(1, activation='sigmoid')
compile:
  optimizer: adam
  loss: categorical_crossentropy
"""


def validate(doc: dict) -> None:
    jsonschema.Draft7Validator.check_schema(SARIF_SUBSET)
    jsonschema.validate(doc, SARIF_SUBSET, cls=jsonschema.Draft7Validator,
                        format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_the_subset_schema_rejects_broken_logs() -> None:
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "A", "level": "error", "message": {"text": "m"}}]}]}
    validate(good)
    for bad in (
        {**good, "version": "2.0.0"},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"ruleId": "A", "level": "info", "message": {"text": "m"}}]}]},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"ruleId": "A", "message": {"text": "m"}, "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)


def test_sarif_output_is_valid_and_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "bug.yaml").write_text(NOTES_BUG)
    r = CliRunner().invoke(cli, ["lint", "models/bug.yaml", "--format", "sarif"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [d["id"] for d in rules]
    assert len(ids) == len(set(ids)) >= 20  # one rule entry per code
    for d in rules:
        assert d["name"] and d["shortDescription"]["text"] and d["help"]["text"]
    results = {(x["ruleId"], x["level"]) for x in run["results"]}
    assert results == {("AC101", "error"), ("AC302", "warning")}
    ac101 = next(x for x in run["results"] if x["ruleId"] == "AC101")
    assert rules[ac101["ruleIndex"]]["id"] == "AC101"
    loc = ac101["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": "models/bug.yaml"}, "region": {"startLine": 6, "startColumn": 1}}
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_with_input_errors_and_info(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "i.yaml").write_text("input: [8, 8, 3]\nlayers:\n  - Conv2D(4, 3, padding='same')\n"
                                     "  - BatchNormalization()\n")
    result = lint_paths(["i.yaml", "missing.yaml", str(tmp_path / "i.yaml")], LintOptions(cwd=tmp_path))
    doc = build(result)
    validate(doc)
    run = doc["runs"][0]
    assert {x["level"] for x in run["results"]} == {"note"}
    # an absolute path under the working directory is made relative
    assert {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in run["results"]} == {"i.yaml"}
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "no such file"
