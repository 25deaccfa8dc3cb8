"""`archcalc serve` in a real browser: headless Chromium (the system's `chromium`, installed
by .ci/run) driven by Playwright through the page's main journeys, with screenshots at a
laptop and a phone width written to tests/artifacts/ (ignored by git).

The tests carry the `browser` marker. Without Playwright or Chromium they skip with the
reason, except under CI=true, where they fail: a skipped browser test there would hide
that the page was never driven (as tests/conftest.py does for the `keras` marker)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLES, in_ci

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("ARCHCALC_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def _cannot_run(reason: str) -> None:
    if in_ci():
        pytest.fail(f"a browser test cannot run while CI is set ({reason}); CI must run every browser test")
    pytest.skip(f"browser test: {reason}")


@pytest.fixture(scope="module")
def server():
    """`archcalc serve`'s application under uvicorn, in a thread, on a free loopback port."""
    try:
        import uvicorn

        from archcalc.commands.serve import allowed_hosts
        from archcalc.web.app import create_app
    except ImportError as e:
        _cannot_run(f"the web extra is not installed ({e.name}): pip install -e '.[dev]'")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(allowed_hosts("127.0.0.1")), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _cannot_run("Playwright is not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _cannot_run(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=LAUNCH_ARGS)
        yield b
        b.close()


class Page:
    """A page at one width, recording console errors, CSP reports and every request."""

    def __init__(self, browser, server: str, size: str) -> None:
        w, h = SIZES[size]
        self.size = size
        self.context = browser.new_context(viewport={"width": w, "height": h}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)  # a shared CI machine can be slow
        self.errors: list[str] = []
        self.requests: list[str] = []
        # a 422 is how the API reports an input error (shown in the page), not a page error
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     and "status of 422" not in m.text else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.server = server
        self.page.goto(server + "/")
        self.page.wait_for_selector("#summary tbody tr")

    def shot(self, name: str, full: bool = False) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"serve-{self.size}-{name}.png"), full_page=full,
                             animations="disabled")

    def row(self, name: str):
        return self.page.locator(f'#summary tbody tr[data-layer="{name}"]')

    def cells(self, name: str) -> list[str]:
        return [c.strip() for c in self.row(name).locator("td").all_inner_texts()]

    def analysed(self) -> int:
        return int(self.page.evaluate("() => document.body.dataset.analysed || '0'"))

    def wait_analysed(self, after: int) -> None:
        """Until the page has read the text of a change made after analysis number ``after``."""
        self.page.wait_for_function("n => parseInt(document.body.dataset.analysed || '0', 10) > n", arg=after)

    def load_sample(self, sample_id: str, model_name: str) -> None:
        if self.page.input_value("#sample") != sample_id:
            before = self.analysed()
            self.page.select_option("#sample", sample_id)
            self.wait_analysed(before)
        self.page.wait_for_function(
            "name => document.getElementById('model-name').textContent === 'Model: ' + name", arg=model_name)

    def set_text(self, text: str) -> None:
        before = self.analysed()
        self.page.fill("#text", text)
        self.wait_analysed(before)

    def close(self) -> None:
        assert not self.errors, self.errors  # no script error, no CSP violation
        outside = [u for u in self.requests if not u.startswith((self.server, "blob:", "data:"))]
        assert not outside, f"the page fetched from elsewhere: {outside}"
        self.context.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser, server):
    p = Page(browser, server, request.param)
    yield p
    p.close()


def test_load_a_sample_and_edit_a_kernel(page):
    page.shot("start")
    page.load_sample("cnn", "notes-cnn")
    assert page.cells("conv2d")[1:3] == ["(None, 62, 62, 32)", "896"]
    text = page.page.input_value("#text")
    page.set_text(text.replace("Conv2D(32, (3, 3)", "Conv2D(32, (5, 5)"))
    page.page.wait_for_function(
        "() => document.querySelector('#summary tbody tr[data-layer=\"conv2d\"] td.shape').textContent"
        " === '(None, 60, 60, 32)'")
    # Keras's numbers for this stack (tests/test_serve.py::test_page_numbers_are_keras)
    cells = page.cells("conv2d")
    assert cells[1:5] == ["(None, 60, 60, 32)", "2,432", "2,432", "0"]  # (5 x 5 x 3 + 1) x 32
    assert page.cells("dense")[2] == "3,686,528"  # (30 x 30 x 32 + 1) x 128
    assert "Total params: 3,690,250" in page.page.inner_text("#footer")
    page.shot("summary", full=page.size == "phone")


def test_open_a_derivation(page):
    page.load_sample("notes_example_2", "notes-example-2")
    page.row("conv2d").click()
    page.page.wait_for_selector("#derivations .derivation math")
    assert page.page.is_visible("#tab-layer")
    text = page.page.inner_text("#derivations")
    assert "608" in text  # the notes: parameters (5^2 x 3 + 1) x 8 = 608
    assert page.page.locator("#derivations math").count() >= 3
    assert page.page.locator("#rf-picture svg rect.seen").count() == 1
    assert "sees 5×5 input positions (blue)." in page.page.inner_text("#rf-picture")
    # the corner unit's field reaches over the padding (the notes' P = 2): drawn dashed
    grid = page.page.locator("#rf-picture .output-grid rect").first
    grid.click(position={"x": 1, "y": 1})
    page.page.wait_for_function("() => document.querySelector('#rf-picture p').textContent.includes('row 0, column 0')")
    assert page.page.locator("#rf-picture rect.pad").count() == 1
    assert "the dashed part lies on the padding" in page.page.inner_text("#rf-picture")
    page.shot("derivation", full=True)


def test_a_sequence_layer_and_a_layer_without_receptive_field(page):
    page.set_text("input: [100, 8]\nlayers:\n  - Conv1D(16, 5, strides=2, padding='same')\n"
                  "  - MaxPooling1D(2)\n  - GlobalAveragePooling1D()\n  - Dense(3)\n")
    assert page.cells("max_pooling1d")[1] == "(None, 25, 16)"
    page.row("max_pooling1d").click()
    page.page.wait_for_function("() => document.querySelector('#rf-picture p') &&"
                                " document.querySelector('#rf-picture p').textContent.includes('at step 12')")
    # the engine's field for the pooled unit: 5 + (2 - 1) x 2 = 7 positions of the 100
    assert "sees 7 input positions" in page.page.inner_text("#rf-picture")
    page.page.click('.tabs button[data-tab="summary"]')
    page.row("dense").click()
    page.page.wait_for_selector("#derivations .derivation math")
    assert "no receptive field" in page.page.inner_text("#rf-picture")


def test_errors_are_marked_on_their_line(page):
    page.load_sample("cnn", "notes-cnn")
    text = page.page.input_value("#text")
    page.set_text(text.replace("Flatten()", "Flaten()"))
    page.page.wait_for_selector(".msg.error")
    message = page.page.inner_text(".msg.error")
    assert "<editor>:6:5: error: unknown layer type 'Flaten'" in message
    assert "Flatten" in message  # the hint
    assert page.page.get_attribute("#gutter div:nth-child(6)", "class") == "error"
    page.page.click(".msg.error")
    caret = page.page.evaluate("() => document.getElementById('text').selectionStart")
    assert caret == text.index("Flatten()")
    page.shot("error")


def test_pin_unknown_sizes_and_see_the_diagram(page):
    page.load_sample("unet_symbolic", "notes-unet-symbolic")
    assert page.page.is_visible("#pins")
    assert page.cells("c1")[1] == "(None, H, W, 64)"
    page.page.fill('#pin-fields input[data-name="H"]', "64")
    page.page.fill('#pin-fields input[data-name="W"]', "32")
    page.page.wait_for_function(
        "() => document.querySelector('#summary tbody tr[data-layer=\"c1\"] td.shape').textContent"
        " === '(None, 64, 32, 64)'")
    page.page.click('.tabs button[data-tab="diagram"]')
    page.page.wait_for_function("() => document.getElementById('diagram').naturalWidth > 0")
    page.shot("diagram")


def test_solve_a_calc_question_and_a_quiz(page):
    from archcalc.explain.quiz import make_quiz

    page.page.click('.tabs button[data-tab="practise"]')
    for letter, value in {"I": "227", "O": "", "K": "11", "S": "4", "P": "0", "D": ""}.items():
        page.page.fill(f"#calc-{letter}", value)
    page.page.wait_for_function("() => document.querySelector('#calc-result .values') &&"
                                " document.querySelector('#calc-result .values').textContent.includes('O = 55')")
    assert page.page.get_attribute("#calc-O", "placeholder") == "55"
    # backwards: which kernel turns 32 into 28?
    page.page.fill("#calc-O", "28")
    page.page.fill("#calc-I", "32")
    page.page.fill("#calc-K", "")
    page.page.fill("#calc-S", "1")
    page.page.wait_for_function("() => document.querySelector('#calc-result .values').textContent.includes('K = 5')")
    page.page.evaluate("() => document.getElementById('calc').scrollIntoView()")
    page.shot("calc")
    # the quiz: sheet 1 of the mixed topic, checked as the answer is typed
    page.page.wait_for_selector("#quiz-questions input")
    q = make_quiz("mixed", 5, 1)[0]
    ask = q.asks[0]
    field = page.page.locator(f'#quiz-questions input[data-number="1"][data-ask="{ask}"]')
    verdict = field.locator("xpath=following-sibling::span[contains(@class,'verdict')]")
    field.fill("1")
    page.page.wait_for_function("el => el.textContent === '✗'", arg=verdict.element_handle())
    right = q.answers[ask]
    field.fill(right if isinstance(right, str) else f"{right:,}")
    page.page.wait_for_function("el => el.textContent === '✓'", arg=verdict.element_handle())
    page.shot("practise", full=True)


def test_download_a_sheet(page, tmp_path):
    page.load_sample("notes_example_1", "notes-example-1")
    with page.page.expect_download() as info:
        page.page.click('[data-export="sheet-latex"]')
    download = info.value
    assert download.suggested_filename == "notes-example-1-sheet.tex"
    target = tmp_path / "sheet.tex"
    download.save_as(target)
    from archcalc.cli import cli

    expected = CliRunner().invoke(cli, ["explain", str(SAMPLES / "notes_example_1.yaml"), "--format", "latex",
                                        "--standalone"]).output
    assert target.read_text(encoding="utf-8") == expected
    with page.page.expect_download() as info:
        page.page.click('[data-export="keras"]')
    assert info.value.suggested_filename == "notes-example-1.py"


def test_upload_a_file(page):
    page.page.set_input_files("#upload", str(SAMPLES / "cnn.py"))
    page.page.wait_for_function("() => document.getElementById('format').value === 'py'")
    assert page.page.input_value("#text") == (SAMPLES / "cnn.py").read_text()
    page.page.wait_for_function("() => document.getElementById('status').textContent.includes('Keras Python')")
    rows = page.page.locator("#summary tbody tr").count()
    assert rows >= 5
    assert re.search(r"3,938,570", page.page.inner_text("#footer"))  # the notes' CNN, as in cnn.yaml
