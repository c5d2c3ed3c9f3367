"""Where the notebooks are, and how to read them: shared by the hygiene and README tests."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = [nb for nb in NOTEBOOKS if not nb.name.startswith("00_")]


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def source(cell):
    return "".join(cell["source"])
