"""notebooks/glossary.md: every term the collection teaches, in English and Chinese, linked to its notebook."""
import re

import pytest

from notebook_files import NOTEBOOK_DIR, ROOT, load, source

GLOSSARY = NOTEBOOK_DIR / "glossary.md"
COLUMNS = ["English", "中文", "PyTorch", "Definition", "Taught in"]
CJK = re.compile(r"[\u4e00-\u9fff]")
LINK = re.compile(r"\]\(([^)]+)\)")

# The terms issue 13 asks for, then those chapters 3-5 add: each must start a row's English name.
REQUIRED_TERMS = [
    "likelihood", "log-likelihood", "negative log-likelihood", "maximum likelihood estimation", "loss", "cost",
    "objective", "sum of squared errors", "mean squared error", "binary cross-entropy", "cross-entropy", "logit",
    "sigmoid", "softmax", "log-softmax", "log-sum-exp", "one-hot", "class weight", "label smoothing", "ignore index",
    "reduction", "entropy", "KL divergence", "perplexity", "calibration",
    "gradient", "softmax Jacobian", "mini-batch", "epoch", "learning rate", "weight decay", "overfitting", "L1 loss",
    "Huber loss", "smooth L1", "Gaussian NLL", "Poisson NLL", "heteroscedastic", "proper scoring rule",
    "Brier score", "expected calibration error", "reliability diagram", "temperature scaling", "focal loss",
    "label noise", "generalized cross-entropy", "bits per character", "z-loss", "knowledge distillation", "InfoNCE",
    "contrastive loss", "autocast", "bfloat16", "vocabulary parallelism",
]


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rows():
    """Every table row of the glossary as {column: text}; fails on a row with the wrong number of columns."""
    found = []
    for number, line in enumerate(GLOSSARY.read_text().splitlines(), start=1):
        if not line.startswith("|") or line.startswith("|---"):
            continue
        values = cells(line)
        assert len(values) == len(COLUMNS), f"glossary.md line {number} has {len(values)} columns: {line}"
        if values != COLUMNS:
            found.append(dict(zip(COLUMNS, values), line=number))
    return found


def english_names(row):
    """'loss (loss function)', 'cost / objective' → ['loss', 'loss function', 'cost', 'objective']."""
    return [name.strip().lower() for name in re.split(r"[()/]", row["English"]) if name.strip()]


def test_the_glossary_has_a_row_for_every_required_term():
    names = {name for row in rows() for name in english_names(row)}
    starts = [row["English"].lower() for row in rows()]
    missing = [term for term in REQUIRED_TERMS
               if term.lower() not in names and not any(s.startswith(term.lower()) for s in starts)]
    assert not missing, f"glossary.md has no row for: {missing}"


def test_every_row_has_chinese_a_definition_and_a_notebook():
    for row in rows():
        where = f"glossary.md line {row['line']} ({row['English']})"
        assert CJK.search(row["中文"]), f"{where}: no Chinese term"
        assert row["PyTorch"], f"{where}: the PyTorch column is empty (write — where there is no name)"
        assert len(row["Definition"].split()) >= 5, f"{where}: the definition is missing or too short"
        assert LINK.search(row["Taught in"]), f"{where}: no link to the notebook that teaches it"


def test_every_link_points_at_an_existing_notebook():
    text = GLOSSARY.read_text()
    targets = sorted(set(LINK.findall(text)))
    notebooks = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert notebooks, "the glossary links no notebook"
    missing = [t for t in notebooks if not (NOTEBOOK_DIR / t.partition("#")[0]).is_file()]
    existing = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert not missing, (f"glossary.md links notebooks that do not exist in notebooks/: {missing}\n"
                         f"existing: {existing}")


def test_every_link_shows_the_notebooks_number():
    for shown, target in re.findall(r"\[([^\]]+)\]\(([^)]+\.ipynb)\)", GLOSSARY.read_text()):
        assert target.startswith(shown.strip("`")), f"link text {shown!r} does not match {target}"


@pytest.mark.parametrize("where, text", [
    ("README.md", lambda: (ROOT / "README.md").read_text()),
    ("00_start_here.ipynb", lambda: "".join(source(c) for c in load(NOTEBOOK_DIR / "00_start_here.ipynb")["cells"])),
], ids=["README", "00_start_here"])
def test_the_glossary_is_linked(where, text):
    target = "notebooks/glossary.md" if where == "README.md" else "glossary.md"
    assert f"]({target})" in text(), f"{where} does not link the glossary ({target})"
