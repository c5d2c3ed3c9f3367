"""Lecture mode: serve one notebook with Voilà as a clean page of outputs and live sliders, in the big layout.

    make present NB=02                      # or NB=notebooks/02_binary_cross_entropy_from_likelihood.ipynb
    python scripts/present.py 05 --port 8866 --no-browser

Voilà runs the notebook top to bottom in a fresh kernel, hides the code, and keeps the widgets live. The page is
projector-sized: the ``lossbook-lecture`` Voilà template (scripts/lecture_mode/) sets the prose at 22 px and scales
headings, math and printed outputs with it, without horizontal scrolling on a 1600 px wide screen, and
LOSSBOOK_BIG=1 tells every explorer to use its projector layout (larger fonts, figure and sliders). ``--small``
gives Voilà's normal page and layout. Cells that demonstrate an error on purpose (tagged ``raises-exception``) show
their traceback, and the page goes on.
"""
import argparse
import os
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LECTURE_TEMPLATE = "lossbook-lecture"
LECTURE_TEMPLATE_ROOT = Path(__file__).resolve().parent / "lecture_mode"  # holds voila/templates/lossbook-lecture
DEMONSTRATED_ERRORS = ("ValueError", "TypeError", "IndexError", "RuntimeError")


def find_notebook(name):
    """'02', '02_binary…', 'notebooks/02_….ipynb' → the notebook's path; SystemExit with the choices otherwise."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.exists():
        return path.resolve()
    matches = sorted(NOTEBOOKS.glob(f"{path.stem}*.ipynb")) if name else []
    if len(matches) != 1:
        choices = "\n  ".join(p.stem for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
        problem = "say which notebook" if not name else f"NB={name!r} matches {len(matches)} notebooks"
        raise SystemExit(f"{problem}: make present NB=02, with a number or a name from\n  {choices}")
    return matches[0]


def voila_command(notebook, port, open_browser, lecture=True):
    command = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={port}",
               "--theme=light", "--show_tracebacks=True"]
    if lecture:
        command.append(f"--template={LECTURE_TEMPLATE}")
    command += [f"--VoilaExecutor.allow_error_names={name}" for name in DEMONSTRATED_ERRORS]
    if not open_browser:
        command.append("--no-browser")
    return command


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", default="", help="number or name of the notebook, e.g. 02")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--no-browser", action="store_true", help="only print the address")
    parser.add_argument("--small", action="store_true", help="the normal layout instead of the projector layout")
    args = parser.parse_args(argv)
    notebook = find_notebook(args.notebook)
    os.environ["LOSSBOOK_BIG"] = "0" if args.small else "1"
    if not args.small:  # Voilà finds its templates in the Jupyter data path
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(LECTURE_TEMPLATE_ROOT),
                                                                   os.environ.get("JUPYTER_PATH")]))
    print(f"Presenting {notebook.name} at http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
    os.chdir(notebook.parent)
    os.execv(sys.executable, voila_command(notebook, args.port, not args.no_browser, lecture=not args.small))


if __name__ == "__main__":
    main()
