"""The standalone LaTeX of `explain` and `quiz` compiles with pdflatex, with no line running
into the margin (no overfull boxes), and user text cannot break it.

Without pdflatex these tests skip on a developer's machine; with CI set they fail instead
(.ci/run installs texlive-latex-base and texlive-latex-recommended)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.explain import explain_analysis
from archcalc.explain.quiz import make_quiz, render_sheet
from archcalc.readers.yaml_spec import load, load_text
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def pdflatex() -> str:
    exe = shutil.which("pdflatex")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but pdflatex is not installed: .ci/run installs texlive-latex-base")
        pytest.skip("pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)")
    return exe


def compile_tex(pdflatex: str, tex: str, tmp_path: Path, name: str = "doc") -> str:
    """Run pdflatex on the document; return its log (the test fails if it does not compile)."""
    src = tmp_path / f"{name}.tex"
    src.write_text(tex, encoding="utf-8")
    proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", src.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert (tmp_path / f"{name}.pdf").exists()
    return log


def overfull(log: str) -> list[str]:
    return re.findall(r"Overfull \\hbox \([^)]*\).*", log)


@pytest.mark.parametrize("sample", ["resnet_stages", "lenet5", "transformer_text", "unet_symbolic"])
def test_explain_standalone_compiles_without_overfull_lines(pdflatex, tmp_path, sample):
    tex = explain_analysis(analyze(load(SAMPLES / f"{sample}.yaml"))).render("latex", standalone=True)
    assert tex.startswith(r"\documentclass") and r"\usepackage{amsmath}" in tex
    assert overfull(compile_tex(pdflatex, tex, tmp_path)) == []


def test_quiz_answer_key_compiles_without_overfull_lines(pdflatex, tmp_path):
    # seed 3 includes a Bidirectional(LSTM) answer, whose working is the longest
    questions = make_quiz("mixed", 12, seed=3)
    assert any("Bidirectional" in q.prompt for q in questions)
    for answers in (False, True):
        tex = render_sheet(questions, "latex", answers=answers, standalone=True)
        assert overfull(compile_tex(pdflatex, tex, tmp_path, f"quiz{answers}")) == []


def test_user_text_is_escaped(pdflatex, tmp_path):
    spec = "name: 'odd ^~ #$% & {model} \\\\ _x_'\ninput: [8]\nlayers:\n  - Dense(4)\n"
    tex = explain_analysis(analyze(load_text(spec, "odd.yaml"))).render("latex", standalone=True)
    log = compile_tex(pdflatex, tex, tmp_path)
    assert "odd" in tex and overfull(log) == []
