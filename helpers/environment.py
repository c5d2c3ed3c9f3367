"""Is this the environment the stored outputs were made in? Compare installed packages with the lock file.

Taught in notebooks/00_start_here.ipynb; tests/test_environment_files.py uses the same parsers to check that
environment.yml and requirements-lock.txt agree.
"""
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = ROOT / "requirements-lock.txt"
ENVIRONMENT_FILE = ROOT / "environment.yml"
PYTHON = "3.11"
KEY_PACKAGES = ("torch", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pytest", "hypothesis",
                "scikit-learn")

_PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)==([^\s#]+)")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path):
    """{normalised package name: version} for every ``name==version`` line of a requirements or environment file."""
    pins = {}
    for line in Path(path).read_text().splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def check_environment(packages=KEY_PACKAGES, lock_file=LOCK_FILE):
    """Print a ✓/✗ line for Python and each package against the lock file. Never raises."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(f"{'✓' if python == PYTHON else '✗'} Python {python}" + ("" if python == PYTHON else f" (lossbook uses {PYTHON})"))
    if not Path(lock_file).exists():
        print(f"✗ no lock file at {Path(lock_file).name}: run the notebooks from a clone of the repository")
        return
    pins = read_pins(lock_file)
    all_match = python == PYTHON
    for package in packages:
        wanted = pins.get(normalise(package))
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = None
        if installed == wanted:
            print(f"✓ {package} {installed}")
        else:
            all_match = False
            print(f"✗ {package}: installed {installed or 'nothing'}, the lock file pins {wanted}")
    if all_match:
        print("Everything matches requirements-lock.txt: your numbers should match the stored ones to the printed "
              "digits (another CPU can still change the last bits of a float).")
    else:
        print("Some versions differ: run `make setup` (or see README.md, 'When something fails'); numbers may differ slightly.")
