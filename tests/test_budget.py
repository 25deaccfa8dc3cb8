"""archcalc fit: the largest batch size under a memory budget (the notes' CNN) and the largest
square input under a MACs or memory budget (the notes' U-Net with symbolic H, W)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from archcalc.cli import cli
from tests.conftest import SAMPLES


def _fit(*args):
    return CliRunner().invoke(cli, ["fit", *args])


def test_largest_batch_for_the_notes_cnn():
    """3,938,570 params (Keras's count) x 4 B, for weights, gradients and Adam's 2 slots;
    activations per sample: 64x64x3 + 62x62x32 + 31x31x32 + 30752 + 128 + 10 values x 4 B."""
    result = _fit(str(SAMPLES / "cnn.yaml"), "--memory", "1GiB", "--format", "json")
    assert result.exit_code == 0, result.output
    fixed = 3938570 * 4 * (1 + 1 + 2)
    per_sample = (64 * 64 * 3 + 62 * 62 * 32 + 31 * 31 * 32 + 30752 + 128 + 10) * 4
    expected = (2**30 - fixed) // per_sample
    assert json.loads(result.output)["largest_batch_size"] == expected == 1283
    # the summary agrees: that batch fits, one more does not
    for batch, fits in ((expected, True), (expected + 1, False)):
        data = json.loads(CliRunner().invoke(cli, ["summary", str(SAMPLES / "cnn.yaml"), "--format", "json",
                                                   "--batch-size", str(batch)]).output)
        assert (data["memory"]["training_bytes"] <= 2**30) is fits
    # MB is 10^6 bytes, MiB 2^20: a different answer
    mb = json.loads(_fit(str(SAMPLES / "cnn.yaml"), "--memory", "1000MB", "--format", "json").output)
    assert mb["largest_batch_size"] == (10**9 - fixed) // per_sample
    text = _fit(str(SAMPLES / "cnn.yaml"), "--memory", "1GiB").output
    assert "b <= (1,073,741,824 - 63,017,120) / 787,752" in text


def test_largest_square_input_for_the_notes_unet_under_a_macs_budget():
    """U-Net at H = W = 60: c1 60^2 x 9 x 1 x 64, c2 30^2 x 9 x 64 x 128, c3 15^2 x 9 x 128 x 256,
    c4 30^2 x 9 x 384 x 128, c5 60^2 x 9 x 192 x 64, outputs 60^2 x 64 kernel multiply-adds."""
    result = _fit(str(SAMPLES / "unet_symbolic.yaml"), "--macs", "1G", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["largest_square_input"] == 60
    at60 = (3600 * 9 * 64 + 900 * 9 * 64 * 128 + 225 * 9 * 128 * 256 + 900 * 9 * 384 * 128
            + 3600 * 9 * 192 * 64 + 3600 * 64)
    assert at60 <= 10**9 < at60 * 64**2 // 60**2  # 64, the next size that builds, is over
    assert any(f"MACs {at60:,}" in line for line in data["derivation"])
    # 61..63 do not build (H and W must be multiples of 4)
    assert sum("does not build" in line for line in data["derivation"]) == 3


def test_largest_square_input_under_a_memory_budget_and_nothing_fits(tmp_path):
    ok = _fit(str(SAMPLES / "unet_symbolic.yaml"), "--memory", "1GiB", "--batch-size", "8")
    assert ok.exit_code == 0 and "largest square input: s = 212" in ok.output
    # the same spec with numbers: 212 fits at batch size 8, 216 (the next size that builds) not
    text = (SAMPLES / "unet_symbolic.yaml").read_text()
    for size, fits in ((212, True), (216, False)):
        path = tmp_path / f"unet{size}.yaml"
        path.write_text(text.replace("input: [H, W, 1]", f"input: [{size}, {size}, 1]"))
        data = json.loads(CliRunner().invoke(cli, ["summary", str(path), "--format", "json",
                                                   "--batch-size", "8"]).output)
        assert (data["memory"]["training_bytes"] <= 2**30) is fits
    # a memory budget smaller than the weights, gradients and Adam's slots: exit 1
    none = _fit(str(SAMPLES / "cnn.yaml"), "--memory", "10MB")
    assert none.exit_code == 1 and "no batch fits" in none.output


def test_bad_budget_is_an_input_error():
    for args in (["--memory", "3 parsecs"], [], ["--macs", "1G"]):
        result = _fit(str(SAMPLES / "cnn.yaml"), *args)
        assert result.exit_code == 2, args
        assert "error" in result.output and "Traceback" not in result.output


def test_fit_writes_formulas_as_the_notes_do(run_cli):
    """No sympy notation in fit's derivation: ⌊s/4⌋ and s^2, not floor(s/4) and s**2."""
    result = run_cli("fit", str(SAMPLES / "unet_symbolic.yaml"), "--macs", "1G")
    assert "⌊s/4⌋" in result.output and "s^2" in result.output
    for internal in ("floor(", "**", "ceiling("):
        assert internal not in result.output
