"""The explorers as widgets: every control's extremes, the static view pages without a kernel show, big layout."""
import base64
import itertools
import re

import nbconvert
import pytest

from helpers.explorers import EXPLORERS, states
from helpers.explorers.widget import BIG_ENVIRONMENT_VARIABLE
from notebook_files import NOTEBOOKS, code_cells, load, source, tags

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NON_FINITE = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def explorers():
    return {name: make(big=False) for name, make in EXPLORERS.items()}


def _extremes(control):
    return [control.min, control.max] if hasattr(control, "min") else list(control.options)


def _assert_shows_only_finite_numbers(explorer):
    state = explorer.state
    bad = states.nonfinite_values(state)
    readout = state.readout
    if isinstance(state, states.FloatPrecisionState):
        # Showing where the naive formula breaks is this explorer's job: only that row may say inf or nan,
        # and it must say why.
        assert set(bad) <= {"naive"}, bad
        naive_row, other_rows = readout.splitlines()[1], readout.splitlines()[2:]
        assert not NON_FINITE.search("\n".join(other_rows)), readout
        if bad:
            assert re.search(r"✗ (nan: 0 · log 0|inf: log 0)", naive_row), naive_row
    else:
        assert not bad, bad
        assert not NON_FINITE.search(readout), readout
    assert bytes(explorer.image.value).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_control_at_its_minimum_and_maximum(explorers, name):
    explorer = explorers[name]
    defaults = explorer.values()
    for control_name, control in explorer.controls.items():
        for value in _extremes(control):
            explorer.set(**{control_name: value})
            assert explorer.values()[control_name] == value
            _assert_shows_only_finite_numbers(explorer)
        explorer.set(**{control_name: defaults[control_name]})


@pytest.mark.parametrize("name", EXPLORERS)
def test_all_controls_at_their_extremes_together(explorers, name):
    explorer = explorers[name]
    defaults = explorer.values()
    corners = list(itertools.product(*(_extremes(c) for c in explorer.controls.values())))
    for corner in corners[:: max(1, len(corners) // 64)]:
        values = dict(zip(explorer.controls, corner))
        state = explorer.compute(**values)
        explorer.figure.update(state)
        explorer.figure.png()
        explorer.state = state
        _assert_shows_only_finite_numbers(explorer)
    explorer.set(**defaults)


@pytest.mark.parametrize("name", EXPLORERS)
def test_readout_follows_the_controls(explorers, name):
    explorer = explorers[name]
    control_name, control = next((n, c) for n, c in explorer.controls.items() if hasattr(c, "step"))
    before = explorer.readout.value
    start = control.value
    explorer.set(**{control_name: min(control.max, start + 4 * control.step)})
    assert explorer.readout.value != before
    assert explorer.state == explorer.compute(**explorer.values())
    explorer.set(**{control_name: start})
    assert explorer.readout.value == before


@pytest.mark.parametrize("name", EXPLORERS)
def test_display_carries_a_static_picture_and_readout_for_pages_without_a_kernel(explorers, name):
    explorer = explorers[name]
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)
    assert bundle["text/plain"] == f"{explorer.title}\n{explorer.state.readout}"


def test_big_layout_is_larger_and_tagged_for_css(monkeypatch):
    normal, big = EXPLORERS["softmax"](big=False), EXPLORERS["softmax"](big=True)
    normal_width = normal.figure.fig.get_size_inches()[0] * normal.figure.fig.dpi
    big_width = big.figure.fig.get_size_inches()[0] * big.figure.fig.dpi
    assert big_width > 1.5 * normal_width
    assert "lossbook-big" in big.widget._dom_classes and "lossbook-big" not in normal.widget._dom_classes
    assert "font-size: 22px" in big.readout.value and "font-size: 13px" in normal.readout.value
    assert big.state == normal.state
    monkeypatch.setenv(BIG_ENVIRONMENT_VARIABLE, "1")
    assert EXPLORERS["sigmoid-bce"]().big
    monkeypatch.setenv(BIG_ENVIRONMENT_VARIABLE, "0")
    assert not EXPLORERS["sigmoid-bce"]().big


# ---- the stored notebooks -------------------------------------------------------------------------------------

def _explorer_cells():
    found = []
    for path in NOTEBOOKS:
        for cell in code_cells(load(path)):
            match = re.fullmatch(r"(\w+)_explorer\(\)", source(cell).strip())
            if match:
                found.append((path, cell, match.group(1).replace("_", "-")))
    return found


def test_every_explorer_is_displayed_in_the_notebook_its_docstring_names():
    shown = {name: path.name for path, _, name in _explorer_cells()}
    assert set(shown) == set(EXPLORERS)
    for name, notebook in shown.items():
        assert f"Taught in notebooks/{notebook}" in EXPLORERS[name].__doc__


@pytest.mark.parametrize("path, cell, name", _explorer_cells(), ids=lambda v: getattr(v, "name", None) or "")
def test_stored_output_shows_the_current_default_state(path, cell, name):
    assert "nbval-ignore-output" in tags(cell)
    (output,) = cell["outputs"]
    assert {"image/png", "text/plain", WIDGET_VIEW} <= set(output["data"])
    explorer = EXPLORERS[name](big=False)
    assert "".join(output["data"]["text/plain"]) == f"{explorer.title}\n{explorer.state.readout}", \
        f"{path.name}: the stored view is stale; run `make execute NB=notebooks/{path.name}`"


@pytest.mark.parametrize("path", sorted({p for p, _, _ in _explorer_cells()}), ids=lambda p: p.name)
def test_nbviewer_style_html_shows_the_static_picture(path):
    html, _ = nbconvert.HTMLExporter().from_filename(str(path))
    explorer_count = sum(1 for p, _, _ in _explorer_cells() if p == path)
    images = re.findall(r'<img[^>]+src="data:image/png;base64,', html)
    assert len(images) >= explorer_count
    assert WIDGET_VIEW not in html, "without widget state the page should fall back to the PNG"
