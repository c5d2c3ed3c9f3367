"""`make student`: every notebook without its solution cells, and each one still runs top to bottom.

The edition is built into a temporary folder. The structural tests are fast; the tests marked ``notebooks`` run
every student notebook from a fresh kernel (two at a time) and fail on any error outside a ``raises-exception``
cell (a later cell that needs a removed solution would break the handed-out notebook), and check that every
unsolved exercise still gets its self-check's report ("not implemented yet" for a stub, ✗ for code to repair).
"""
import asyncio
import re
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from notebook_files import NOTEBOOK_DIR, NOTEBOOKS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_student_edition  # noqa: E402

ids = [nb.name for nb in NOTEBOOKS]
PARALLEL_KERNELS = 2
CHECK_HEADER = "Checking "  # helpers.selfcheck.run_checks opens each self-check's report with it
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    removed = make_student_edition.build(out)
    return out / "notebooks", removed


def read(path):
    return nbformat.read(path, as_version=4)


def test_every_notebook_and_the_glossary_are_in_the_edition(edition):
    folder, removed = edition
    assert sorted(removed) == [nb.name for nb in NOTEBOOKS]
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [nb.name for nb in NOTEBOOKS]
    if (NOTEBOOK_DIR / "glossary.md").exists():
        assert (folder / "glossary.md").read_text() == (NOTEBOOK_DIR / "glossary.md").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_only_the_solution_cells_are_removed(edition, path):
    folder, removed = edition
    original, student = read(path), read(folder / path.name)
    kept = [cell for cell in original.cells if "solution" not in cell.metadata.get("tags", [])]
    assert removed[path.name] == len(original.cells) - len(kept)
    assert student.cells == kept, "a cell other than a solution changed"
    assert student.metadata == original.metadata
    if path.name != "00_start_here.ipynb":
        assert removed[path.name] >= 2, f"{path.name}: only {removed[path.name]} solution cells found"


def test_a_solution_cell_is_recognised_by_its_tag_only():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}}),
        nbformat.v4.new_code_cell("# solution: a comment is not a tag"),
        nbformat.v4.new_markdown_cell("The solution follows.", metadata={"tags": ["nbval-ignore-output"]}),
    ])
    student, removed = make_student_edition.student_notebook(nb)
    assert removed == 1 and [c.source for c in student.cells] == [c.source for c in nb.cells[1:]]
    assert len(nb.cells) == 3, "the original notebook must not change"


async def _execute_all(paths):
    """Run each notebook in its own fresh kernel, PARALLEL_KERNELS at a time; {name: executed nb or error}."""
    limit = asyncio.Semaphore(PARALLEL_KERNELS)

    async def run(path):
        nb = read(path)
        async with limit:
            client = NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=False,
                                    resources={"metadata": {"path": str(path.parent)}})
            try:
                await client.async_execute()
            except CellExecutionError as error:
                return path.name, error
        return path.name, nb

    return dict(await asyncio.gather(*(run(path) for path in paths)))


@pytest.fixture(scope="module")
def executed(edition):
    folder, _ = edition
    # In a thread of its own: Playwright's event loop (tests/browser) may already run in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, _execute_all(sorted(folder.glob("[0-9][0-9]_*.ipynb")))).result()


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_student_notebook_runs_top_to_bottom(edition, executed, path):
    result = executed[path.name]
    if isinstance(result, Exception):
        pytest.fail(f"student edition of {path.name} stops with an error outside a raises-exception cell "
                    f"(does a later cell use a removed solution?):\n{ANSI_COLOURS.sub('', str(result))[-3000:]}")
    for i, cell in enumerate(result.cells):
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if "raises-exception" not in cell.metadata.get("tags", []):
            assert not errors, f"cell {i} raised {errors[0].ename}: {errors[0].evalue}"
    printed = "".join(o.get("text", "") for cell in result.cells for o in cell.get("outputs", []))
    reports = sum(line.startswith(CHECK_HEADER) for line in printed.splitlines())
    _, removed = edition
    assert reports >= removed[path.name], \
        f"{removed[path.name]} solutions removed, but only {reports} self-checks report on the unsolved " \
        f"exercises: an exercise stub is not followed by its self-check"
