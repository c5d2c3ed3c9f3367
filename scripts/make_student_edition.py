"""The student edition: every notebook without its solution cells, for a lecturer to hand out (`make student`).

Usage: python scripts/make_student_edition.py [--out build/student]

Writes OUT/notebooks/NN_name.ipynb for every notebooks/NN_*.ipynb, with each code cell tagged ``solution`` removed
and everything else (prose, stored outputs, the exercise stubs and their self-checks) as it is, plus a copy of
notebooks/glossary.md. An unsolved exercise's check reports "not implemented yet" and the notebook goes on, so a
student notebook still runs top to bottom (tests/editions/test_student_edition.py executes every one).
"""
import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "student"
EXTRA_FILES = ("glossary.md",)
SOLUTION_TAG = "solution"


def is_solution(cell):
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_notebook(nb):
    """A copy of ``nb`` without its solution cells; the number of cells removed."""
    student = nbformat.from_dict(nb)
    student.cells = [cell for cell in nb.cells if not is_solution(cell)]
    return student, len(nb.cells) - len(student.cells)


def notebook_paths(source=NOTEBOOKS):
    return sorted(Path(source).glob("[0-9][0-9]_*.ipynb"))


def build(out=DEFAULT_OUT, source=NOTEBOOKS):
    """Write the edition into ``out``/notebooks (emptied first); {notebook name: solution cells removed}."""
    target = Path(out) / "notebooks"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    removed = {}
    for path in notebook_paths(source):
        student, removed[path.name] = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(student, target / path.name)
    for name in EXTRA_FILES:
        if (Path(source) / name).exists():
            shutil.copy2(Path(source) / name, target / name)
    return removed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/student)")
    args = parser.parse_args(argv)
    removed = build(args.out)
    for name, count in removed.items():
        print(f"{name}: {count} solution cell{'s' if count != 1 else ''} removed")
    print(f"Student edition of {len(removed)} notebooks in {args.out / 'notebooks'}")


if __name__ == "__main__":
    sys.exit(main())
