"""The README and the index notebook list every notebook, and the README starts with the two commands."""
import pytest

from notebook_files import NOTEBOOKS, ROOT, load, source

README = (ROOT / "README.md").read_text()
INDEX = "".join(source(c) for c in load(ROOT / "notebooks" / "00_start_here.ipynb")["cells"])


def test_readme_opens_with_make_lab_and_make_test():
    top = README[:800]
    assert "make lab" in top and "make test" in top


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_every_notebook_is_listed_in_the_readme_and_the_index(path):
    assert f"notebooks/{path.name}" in README, f"README.md does not link {path.name}"
    assert f"`{path.stem}`" in INDEX, f"00_start_here.ipynb does not list {path.stem}"
