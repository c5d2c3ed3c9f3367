"""Re-execute notebooks in place from a fresh kernel, so that their stored outputs are canonical.

Usage: python scripts/execute_notebooks.py [notebooks/NN_name.ipynb ...]   (default: every notebook)

Each notebook runs top to bottom in a new ``python3`` kernel with notebooks/ as its working directory, like
nbval runs it. Cells tagged ``raises-exception`` may raise; any other error stops with a message. Afterwards
the outputs are made portable and stable: this machine's paths (the repository, the virtual environment, the
kernel's temporary files) are replaced by short placeholders, consecutive stream chunks are merged, and the
widget state is dropped (it can be megabytes, and the widgets rebuild themselves when the notebook runs).
"""
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATH_PATTERNS = [
    (re.compile(re.escape(sys.prefix) + r"/lib/python3\.\d+/site-packages"), "<site-packages>"),
    (re.compile(re.escape(str(ROOT)) + "/?"), ""),
    (re.compile(r"/tmp/ipykernel_\d+/\d+\.py"), "<cell>"),
]


def scrub(text):
    for pattern, replacement in PATH_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) chunks: how the kernel happened to flush them varies between runs."""
    merged = []
    for output in outputs:
        if merged and output.get("output_type") == "stream" and merged[-1].get("output_type") == "stream" \
                and merged[-1]["name"] == output["name"]:
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def scrub_outputs(nb):
    for cell in nb.cells:
        if "outputs" in cell:
            cell["outputs"] = coalesce_streams(cell["outputs"])
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = scrub(output["text"])
            if "traceback" in output:
                output["traceback"] = [scrub(line) for line in output["traceback"]]
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    output["data"][mime] = scrub(value)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps from earlier runs: noise in every diff


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=False,
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    scrub_outputs(nb)
    nbformat.write(nb, path)
    print(f"{path.relative_to(ROOT)}: executed in {time.perf_counter() - start:.1f} s")


def main(args):
    paths = [Path(a).resolve() for a in args] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])
