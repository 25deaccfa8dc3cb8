"""The lint run: select rules, read each model, run the rules, apply suppressions.

Exit status (shared constants from :mod:`archcalc.errors`):

- 0: no error-level finding (warnings and info are allowed unless ``strict``);
- 1: at least one error-level finding, or any finding at all with ``strict`` (issue 6's interface);
- 2: an input or usage error: a missing or unreadable file, an unsupported file type, a
  file that is not valid YAML/Python at all, a bad option or configuration.

A model that is readable but that Keras would not build is *not* an input error: the
engine's refusal becomes an error finding (E001/E002, or the code of a rule that explains
it, such as AC206 or AC301), so one CI run lists every broken model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.errors import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    ArchcalcError,
    Location,
    SpecError,
)
from archcalc.lint import noqa
from archcalc.lint.config import (
    LintConfig,
    check_severity_codes,
    find_pyproject,
    load_config,
    resolve,
)
from archcalc.lint.finding import Finding, Related, Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules import all_rules
from archcalc.lint.rules.AC000 import READ_FORMATS

NOT_READ = "AC000"

UNUSED_NOQA = "AC900"
_BINARY = frozenset({".keras", ".h5", ".hdf5"})
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", "site-packages", "build", "dist"})


@dataclass
class LintOptions:
    """The run's options; None means "take it from the configuration"."""

    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    strict: bool = False
    #: a pyproject.toml to read instead of the nearest one to each linted file
    config_path: Path | None = None
    #: skip files that do not look like models (YAML without `layers:`, Python without Keras)
    skip_non_models: bool = False
    #: ignore every pyproject.toml (defaults only)
    isolated: bool = False
    cwd: Path | None = None
    #: the format of standard input (the path ``-``): yaml, py, ipynb or json; None sniffs it
    stdin_format: str | None = None


@dataclass
class Source:
    """One input to lint: its name, suffix (format), text (for suppressions) and its reader."""

    path: str
    suffix: str
    text: str
    load: Callable[[], Any]
    #: a notebook's joined code and line map (suppressions are read in its cells)
    notebook: Any = None


@dataclass
class LintResult:
    """Every finding of the run, the input errors, and the exit status they give."""

    findings: list[Finding] = field(default_factory=list)
    input_errors: list[ArchcalcError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rules: tuple[type[LintRule], ...] = ()
    strict: bool = False

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def __repr__(self) -> str:
        """Short: files, counts by severity, exit status (``str()`` is the text report)."""
        from archcalc.render.display import lint_repr

        return lint_repr(self)

    def __str__(self) -> str:
        from archcalc.render.display import lint_str

        return lint_str(self)

    def __rich__(self) -> Any:
        from archcalc.render.display import lint_rich

        return lint_rich(self)

    def _repr_html_(self) -> str:
        from archcalc.render.display import lint_html

        return lint_html(self)

    @property
    def exit_code(self) -> int:
        if self.input_errors:
            return EXIT_INPUT_ERROR
        failing = set(Severity) if self.strict else {Severity.ERROR}
        return EXIT_FINDINGS if any(f.severity in failing for f in self.findings) else EXIT_OK


class Linter:
    """Holds the selected rules and severities; lints one file at a time."""

    def __init__(self, cfg: LintConfig, options: LintOptions) -> None:
        rules = all_rules()
        check_severity_codes(cfg, rules)
        selected = resolve(options.select if options.select is not None else cfg.select, rules, "select")
        ignored = resolve([*cfg.ignore, *options.ignore], rules, "ignore")
        self.codes = selected - ignored
        self.rules = [r() for r in rules if r.code in self.codes]
        self.all_rules = rules
        self.severity = {r.code: cfg.severity.get(r.code, r.severity) for r in rules}
        self.budget = cfg.budget
        self.options = options

    # -- one file -----------------------------------------------------------------------

    def lint_file(self, path: str, result: LintResult) -> None:
        source = self._stdin(result) if path == "-" else self._file(path, result)
        if source is not None:
            self.lint_source(source, result)

    def lint_source(self, source: Source, result: LintResult) -> None:
        """Lint one text already read (a file, standard input, the page's editor): its parse
        check, its refusals, the rules and its ``# archcalc: noqa`` suppressions."""
        if not self._parses(source, result):
            return
        path = source.path
        result.files.append(path)
        reports: list[tuple[str, Report]] = []
        try:
            graph = source.load()
        except ArchcalcError as e:
            reports.append(self._refusal(e, None, source))
        else:
            from archcalc.engine import analyze

            try:
                analysis = analyze(graph)
            except ArchcalcError as e:
                reports.append(self._refusal(e, graph, source))
            else:
                from archcalc.lint.context import LintContext

                ctx = LintContext(graph, analysis, path, dict(self.budget))
                for rule in self.rules:
                    if not rule.refusal_only:
                        reports.extend((rule.code, rep) for rep in rule.check(ctx))
        findings = [self._finding(path, code, rep) for code, rep in reports if code in self.codes]
        result.findings.extend(self._suppress(source, findings))

    @staticmethod
    def _file(path: str, result: LintResult) -> Source | None:
        from archcalc.readers import FRONT_ENDS, load

        suffix = Path(path).suffix.lower()
        text = Linter._read(path, result)
        if text is None:
            return None
        if suffix not in FRONT_ENDS:
            result.input_errors.append(SpecError(
                f"unsupported file type '{suffix or Path(path).name}'", loc=Location(path),
                hint="archcalc lint reads " + ", ".join(sorted(FRONT_ENDS)) + " files"))
            return None
        return Source(path, suffix, text, lambda: load(path))

    def _stdin(self, result: LintResult) -> Source | None:
        """Standard input (``-``), in the format given by --stdin-format or sniffed."""
        from archcalc.readers import STDIN, TEXT_FORMATS, load_text, read_stdin_text

        try:
            text, fmt = read_stdin_text(self.options.stdin_format)
        except ArchcalcError as e:
            result.input_errors.append(e)
            return None
        return Source(STDIN, TEXT_FORMATS[fmt], text, lambda: load_text(text, fmt, STDIN))

    @staticmethod
    def _read(path: str, result: LintResult) -> str | None:
        """The file's text (for suppressions), read as its front-end reads it (regular files
        only, within the format's size cap); "" for binary formats such as .keras."""
        from archcalc.readers.builder import decode_text

        try:
            return decode_text(read_capped(Path(path)), Location(path))
        except SpecError as e:
            result.input_errors.append(e)
        return None

    @staticmethod
    def _parses(source: Source, result: LintResult) -> bool:
        """False (and an input error) when the file is not even valid YAML, Python or a notebook."""
        path, suffix, text = source.path, source.suffix, source.text
        if suffix in (".yaml", ".yml"):
            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                yaml.compose(text, Loader=loader)
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
                result.input_errors.append(SpecError(f"invalid YAML: {e.problem or e.context}", loc=loc))
                return False
            except (yaml.YAMLError, RecursionError) as e:
                result.input_errors.append(SpecError(f"invalid YAML: {e}", loc=Location(path)))
                return False
        elif suffix == ".py":
            from archcalc.readers.python.interpreter import parse_checked

            try:  # no file name: CPython would re-read the file to place the error (a BOM shifts it)
                parse_checked(text)
            except SpecError as e:  # over the limits
                e.loc = Location(path, e.loc.line, e.loc.column) if e.loc else Location(path)
                result.input_errors.append(e)
                return False
            except (SyntaxError, ValueError) as e:
                line = getattr(e, "lineno", 0) or 0
                col = getattr(e, "offset", 0) or 0
                result.input_errors.append(SpecError(f"invalid Python: {getattr(e, 'msg', e)}",
                                                     loc=Location(path, line, col)))
                return False
            except (RecursionError, MemoryError):  # CPython's parser on 100,000 nested terms
                result.input_errors.append(SpecError("the file is nested too deeply to read", loc=Location(path)))
                return False
        elif suffix == ".ipynb":
            from archcalc.readers.notebook import read_code

            try:  # a malformed notebook, or a cell that is not Python, is an input error
                source.notebook = read_code(text, path)
            except ArchcalcError as e:
                result.input_errors.append(e)
                return False
        return True

    def _refusal(self, error: ArchcalcError, graph: Any, source: Source) -> tuple[str, Report]:
        """The finding for a model that did not read or build: a rule's own code when one
        explains it, AC000 when it is a limit of archcalc's reading of a program or a saved
        model (Keras may well build it), else E001/E002 (Keras would refuse it too)."""
        for rule in self.rules:
            rep = rule.claim(error, graph)
            if rep is not None:
                return rule.code, rep
        if not error.keras_refuses and source.suffix in READ_FORMATS:
            hint = error.hint or ("a limit of archcalc's reader, not a bug in the program; "
                                  "`archcalc summary` shows the same reason")
            return NOT_READ, Report(f"not read: {error.message}", error.loc, error.layer, hint)
        code = error.code if error.code in self.severity else "E002" if error.code.startswith("E") else "E001"
        return code, Report(error.message, error.loc, error.layer, error.hint)

    def _finding(self, path: str, code: str, rep: Report) -> Finding:
        loc = rep.loc
        line = loc.line if loc and loc.line else 1
        column = loc.column if loc and loc.column else 1
        cell = loc.cell if loc and loc.line else None
        related = tuple(Related(path, r.line, r.column or 1, note, r.cell) for r, note in rep.related
                        if r.line and (r.line, r.cell) != (line, cell))
        return Finding(path, line, column, code, self.severity[code], rep.message, rep.layer, rep.hint, cell,
                       related)

    def _suppress(self, source: Source, findings: list[Finding]) -> list[Finding]:
        nb = source.notebook
        text = nb.text if nb is not None else source.text
        parsed = noqa.parse(text, python=source.suffix in (".py", ".ipynb"))
        if not parsed:
            return findings
        # (cell, line) -> suppression; in a notebook the comment's line is mapped to its cell
        marks: dict[tuple[int | None, int], noqa.Suppression] = {}
        for line, mark in parsed.items():
            at = nb.where(line) if nb is not None else (None, line)
            if at is not None:
                marks[at] = mark
        kept = []
        for f in findings:
            hit = marks.get((f.cell, f.line))
            if hit is not None and hit.covers(f.code):
                hit.used.add(f.code)
            else:
                kept.append(f)
        if UNUSED_NOQA in self.codes:
            for (cell, line), mark in marks.items():
                kept.extend(self._unused(source.path, mark, cell, line))
        return kept

    def _unused(self, path: str, mark: noqa.Suppression, cell: int | None, line: int) -> Iterable[Finding]:
        def finding(message: str, hint: str) -> Finding:
            return Finding(path, line, mark.column, UNUSED_NOQA, self.severity[UNUSED_NOQA], message, None, hint, cell)

        if mark.codes is None:
            if not mark.used:
                yield finding("unused suppression: nothing is reported on this line",
                              "remove the `# archcalc: noqa` comment")
            return
        unknown = sorted(c for c in mark.codes if c not in self.severity)
        stale = sorted(c for c in mark.codes if c in self.codes and c not in mark.used)
        if unknown:
            yield finding(f"suppression names unknown rule(s) {', '.join(unknown)}",
                          "run `archcalc rules` to list the codes")
        if stale:
            yield finding(f"unused suppression: {', '.join(stale)} not reported on this line",
                          f"remove {', '.join(stale)} from the comment")


# -- files ------------------------------------------------------------------------------

def read_capped(path: Path) -> bytes:
    """A file's bytes through the readers' one size-capped reader, with the cap of its format
    (the largest text cap for a suffix no front-end reads); SpecError for a FIFO, a device, a
    missing file or more bytes than the cap. A binary format (.keras) is only checked: its
    reader opens the archive itself."""
    from archcalc.limits import check_regular, read_file_bytes
    from archcalc.readers import TEXT_FORMATS, max_bytes

    suffix = path.suffix.lower()
    if suffix in _BINARY:
        check_regular(path)
        return b""
    fmt = {".yml": "yaml", **{s: f for f, s in TEXT_FORMATS.items()}}.get(suffix, "json")
    return read_file_bytes(path, max_bytes(fmt))


def looks_like_model(path: Path) -> bool:
    """A cheap test used when walking folders (and with skip_non_models)."""
    suffix = path.suffix.lower()
    try:
        text = read_capped(path).decode("utf-8", errors="replace")
    except SpecError:
        return True  # let the reader report it
    if suffix in (".yaml", ".yml"):
        return _yaml_model(path, text)
    if suffix == ".py":
        return _python_model(text)
    if suffix == ".ipynb":  # the code cells, not the outputs or the markdown
        from archcalc.readers.notebook import MAX_BYTES, read_code

        if len(text) > MAX_BYTES:
            return True  # let the reader report it
        try:
            return _python_model(read_code(text.lstrip("\ufeff"), str(path)).text)
        except ArchcalcError:
            return True  # a malformed notebook: let the reader report it
    if suffix == ".json":  # a Keras model config, not any JSON file
        return '"class_name"' in text and '"layers"' in text
    if suffix in (".h5", ".hdf5"):  # a whole model, not the weights or a checkpoint of one
        name = path.name.lower()
        return not (name.endswith((".weights.h5", "_weights.h5", ".weights.hdf5")) or "checkpoint" in name)
    return True


def _yaml_model(path: Path, text: str) -> bool:
    """A spec: a top-level ``layers:`` holding a list. An ``archcalc-layers.yaml`` (custom
    layer declarations: ``layers:`` maps class names to shapes) is not a model."""
    from archcalc.readers.custom_layers import FILE_NAME

    if path.name == FILE_NAME:
        return False
    m = re.search(r"^layers\s*:[ \t]*([^#\n]*)", text, re.MULTILINE)
    if m is None:
        return False
    rest = m.group(1).strip()
    if rest:  # an inline value: a flow list is a model, a mapping is not
        return not rest.startswith("{")
    for line in text[m.end():].splitlines()[1:]:
        body = line.strip()
        if body and not body.startswith("#"):
            return body.startswith("-")  # a block list; `Name:` keys are declarations
    return True  # `layers:` with nothing under it: let the reader report it


def _python_model(text: str) -> bool:
    """Python code that imports Keras and builds a model."""
    return "keras" in text and re.search(r"\bSequential\b|\bModel\s*\(|\.add\(", text) is not None


def expand(paths: Iterable[str], skip_non_models: bool) -> list[str]:
    """Files to lint: files as given; folders walked for model files, sorted."""
    from archcalc.readers import FRONT_ENDS

    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p == "-":  # standard input
            out.append(p)
            continue
        if not path.is_dir():
            if skip_non_models and path.is_file() and (
                    path.suffix.lower() not in FRONT_ENDS or not looks_like_model(path)):
                continue
            out.append(p)
            continue
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
            for name in files:
                f = Path(root) / name
                if f.suffix.lower() in FRONT_ENDS and looks_like_model(f):
                    found.append(str(f))
        out.extend(sorted(found))
    return out


def lint_paths(paths: Sequence[str], options: LintOptions | None = None) -> LintResult:
    """Lint every model file under ``paths``; never raises for a user's file (usage
    errors in options or configuration raise :class:`archcalc.errors.UsageError`)."""
    options = options or LintOptions()
    cwd = options.cwd or Path.cwd()
    linters: dict[Path | None, Linter] = {}

    def linter_for(cfg_path: Path | None) -> Linter:
        if cfg_path not in linters:
            linters[cfg_path] = Linter(load_config(cfg_path), options)
        return linters[cfg_path]

    def config_of(path: str) -> Path | None:
        """--isolated: none; --config: that file; else the nearest to the file's folder."""
        if options.isolated:
            return None
        if options.config_path is not None:
            return options.config_path
        folder = cwd if path == "-" else (cwd / path).parent
        return find_pyproject(folder)

    # the working directory's configuration is checked even when no file is linted
    first = linter_for(config_of(str(cwd / "_")) if not paths else config_of(paths[0]))
    result = LintResult(rules=tuple(r for r in first.all_rules if r.code in first.codes),
                        strict=options.strict)
    for path in expand(paths, options.skip_non_models):
        linter_for(config_of(path)).lint_file(path, result)
    for p in paths:  # a folder that holds no model is a mistake worth saying (exit status 2)
        if p != "-" and Path(p).is_dir() and not expand([p], options.skip_non_models):
            result.input_errors.append(SpecError(
                "no model files in this folder", loc=Location(p),
                hint="lint reads YAML specs (with `layers:`), Keras .py files and notebooks, .json, "
                     ".keras and .h5 model files, in the folder and below it"))
    result.findings.sort(key=Finding.sort_key)
    return result
