"""Every notebook is stored the way `make execute` leaves it: clean, portable and checkable by nbval."""
import re

import pytest

from notebook_files import CHAPTERS, NOTEBOOKS, code_cells, load, source, tags

RAISES = {"raises-exception", "nbval-raises-exception"}
IGNORED = {"nbval-ignore-output", "nbval-skip"}
MACHINE_PATHS = re.compile(r"(/root/|/home/|/work/|/tmp/|/Users/|[A-Z]:\\\\Users)")

ids = [nb.name for nb in NOTEBOOKS]
chapter_ids = [nb.name for nb in CHAPTERS]


def test_the_collection_has_its_notebooks():
    names = [nb.stem for nb in NOTEBOOKS]
    assert names[0] == "00_start_here", names
    assert len(names) >= 9, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_kernel_is_python3(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_executed_in_order_from_a_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}: run `make execute NB={path.name}`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_errors_only_where_a_cell_is_tagged_to_raise(path):
    for i, cell in enumerate(code_cells(load(path))):
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if RAISES & tags(cell):
            assert len(errors) == 1, f"code cell {i} is tagged to raise but stored {len(errors)} errors"
        else:
            assert not errors, f"code cell {i} stored an error: {errors[0]['ename']}: {errors[0]['evalue']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_nothing_on_stderr(path):
    for i, cell in enumerate(code_cells(load(path))):
        streams = [o for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stderr"]
        assert not streams, f"code cell {i} wrote to stderr: {''.join(streams[0]['text'])[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_paths_of_this_machine_in_outputs(path):
    for i, cell in enumerate(code_cells(load(path))):
        for output in cell["outputs"]:
            text = str({k: v for k, v in output.items() if k != "data"}) + str(
                {k: v for k, v in output.get("data", {}).items() if k.startswith("text/")})
            match = MACHINE_PATHS.search(text)
            assert not match, f"code cell {i} output holds a machine path near {text[max(0, match.start() - 40):match.end() + 40]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_svg_outputs(path):
    for i, cell in enumerate(code_cells(load(path))):
        assert not any("image/svg+xml" in o.get("data", {}) for o in cell["outputs"]), f"code cell {i} holds an SVG"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_small_and_without_widget_state(path):
    assert path.stat().st_size < 1_000_000, f"{path.name} is {path.stat().st_size // 1024} KiB"
    assert "widgets" not in load(path)["metadata"], "stored widget state: run `make execute`, which drops it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_unchecked_outputs_are_widgets_checked_by_the_next_cell(path):
    cells = code_cells(load(path))
    for i, cell in enumerate(cells):
        if IGNORED & tags(cell):
            assert re.search(r"\b(interact|interactive_output|display)\b|Explorer|explorer", source(cell)), \
                f"code cell {i} hides its output from nbval but displays no widget"
            assert i + 1 < len(cells) and not IGNORED & tags(cells[i + 1]), \
                f"code cell {i} displays a widget; the next code cell must print its numbers, unmasked"


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_ids)
def test_chapter_shape_goal_summary_and_exercises(path):
    nb = load(path)
    markdown = [source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert "After this notebook you will be able to" in markdown[0]
    headings = [line for text in markdown for line in text.splitlines() if line.startswith("## ")]
    assert "## Summary" in headings and "## Exercises" in headings, headings
    solutions = [c for c in code_cells(nb) if "solution" in tags(c)]
    assert 2 <= len(solutions) <= 4, f"{len(solutions)} solution cells; each notebook has 2–4 exercises"
    for cell in solutions:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "solution input must be collapsed"
        printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        assert "✓" in printed and "✗" not in printed, f"a solution's stored check does not pass:\n{printed}"
