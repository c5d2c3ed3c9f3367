"""The HTML edition: the notebooks as static pages a lecturer can copy to a course site (`make html`).

Usage: python scripts/make_html_edition.py [--out build/html]

Writes OUT/NN_name.html for every notebooks/NN_*.ipynb (nbconvert's HTMLExporter, lab template, with the stored
outputs: nothing is executed), OUT/index.html (the path table of 00_start_here, every notebook linked) and
OUT/glossary.html (notebooks/glossary.md). On the pages:
- links between notebooks (``NN_name.ipynb``, ``glossary.md``) point at the pages (``NN_name.html``), and a
  notebook named in backticks (`` `NN_name` ``) becomes a link to its page;
- an explorer shows its stored picture (the default setting, with its readout), marked as a picture;
- each solution cell is collapsed in a <details> element ("Solution (click to show …)");
- a navigation bar links the contents, the glossary and the previous and next notebooks.
Pictures are embedded in the pages; only the math is typeset by MathJax from its CDN (without a network the
pages show the LaTeX source of the math and everything else).
"""
import argparse
import logging
import re
import shutil
import sys
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "html"
TEMPLATE_DIR = Path(__file__).resolve().parent / "html_edition"
TEMPLATE_FILE = "lossbook.html.j2"
GLOSSARY = "glossary.md"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
EXPLORER_TAG = "lossbook-explorer"
PATH_HEADING = "## The path"

NOTEBOOK_NAME = re.compile(r"\d\d_[A-Za-z0-9_]+")
# A notebook named in backticks, not already the text of a link: `02_name`, `02_name.ipynb`, `notebooks/02_name.ipynb`
BACKTICKED_NOTEBOOK = re.compile(r"(?<!\[)`((?:notebooks/)?(\d\d_[A-Za-z0-9_]+?)(?:\.ipynb)?)`(?!\]\()")
NOTEBOOK_HREF = re.compile(r"^(?:\./)?(?:notebooks/)?(\d\d_[A-Za-z0-9_]+)\.ipynb(#.*)?$")
GLOSSARY_HREF = re.compile(r"^(?:\./)?(?:notebooks/)?glossary\.md(#.*)?$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

CSS = """
.lossbook-nav { display: flex; flex-wrap: wrap; gap: 6px 24px; padding: 10px 20px; margin-bottom: 8px;
  border-bottom: 1px solid var(--jp-border-color2); font-family: var(--jp-ui-font-family); font-size: 15px; }
.lossbook-nav .lossbook-next { margin-left: auto; }
details.lossbook-solution { border: 1px solid var(--jp-border-color2); border-radius: 4px; margin: 6px 0;
  padding: 4px 8px; }
details.lossbook-solution > summary { cursor: pointer; font-family: var(--jp-ui-font-family); font-weight: 600;
  padding: 4px 0; }
.lossbook-picture-note { font-family: var(--jp-ui-font-family); font-size: 13px; font-style: italic;
  color: var(--jp-content-font-color2); margin: 2px 0 8px; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
"""
PICTURE_NOTE = ("A picture of this explorer at its default setting. Run the notebook in Jupyter "
                "(make lab) to move its sliders.")
WIDGET_NOTE = "<p><em>An interactive widget appears here when the notebook runs in Jupyter (make lab).</em></p>"


def notebook_paths(source=NOTEBOOKS):
    return sorted(Path(source).glob("[0-9][0-9]_*.ipynb"))


def title_of(nb, fallback):
    """The notebook's title: its first ``# `` heading (e.g. "02 · Binary cross-entropy …"), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def link_backticked_notebooks(markdown, names):
    """`NN_name` (or `NN_name.ipynb`) in markdown → a link to NN_name.html, for the notebooks in ``names``."""
    def link(match):
        shown, name = match.group(1), match.group(2)
        return f"[`{shown}`]({name}.html)" if name in names else match.group(0)
    return BACKTICKED_NOTEBOOK.sub(link, markdown)


def page_href(href):
    """A link as written in a notebook → the link in the HTML edition (other links unchanged)."""
    notebook = NOTEBOOK_HREF.match(href)
    if notebook:
        return f"{notebook.group(1)}.html{notebook.group(2) or ''}"
    glossary = GLOSSARY_HREF.match(href)
    if glossary:
        return f"glossary.html{glossary.group(1) or ''}"
    return href


def prepare(nb, names):
    """Link notebook names in the prose, and leave each explorer's output as its picture; the explorers' titles."""
    explorers = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = link_backticked_notebooks(cell.source, names)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME not in data:
                continue
            del data[WIDGET_MIME]
            if "image/png" in data:
                cell.metadata.setdefault("tags", []).append(EXPLORER_TAG)
                explorers.append(data.get("text/plain", "An explorer").strip())
            else:  # a widget without a stored picture (e.g. interact): say what would be here
                output["data"] = {"text/html": WIDGET_NOTE}
    return explorers


def finish_page(html, explorers):
    """Rewrite the links between notebooks, and give each explorer picture its text and a note."""
    soup = BeautifulSoup(html, features="html.parser")
    for anchor in soup.select("a[href]"):
        anchor["href"] = page_href(anchor["href"])
    cells = soup.select(f".celltag_{EXPLORER_TAG}")
    for cell, text in zip(cells, explorers):
        image = cell.select_one(".jp-RenderedImage img")
        image["alt"] = text
        image["class"] = image.get("class", []) + ["lossbook-explorer-picture"]
        note = soup.new_tag("p", attrs={"class": "lossbook-picture-note"})
        note.string = PICTURE_NOTE
        image.parent.insert_after(note)
    return str(soup)


def exporter():
    html = HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATE_DIR)], template_file=TEMPLATE_FILE)
    html.log.setLevel(logging.ERROR)  # "alternative text is missing" for every plot: the pages set their own
    return html


def render(html, nb, title, names, previous=None, following=None):
    """One page: ``nb`` through the exporter ``html``, titled ``title``, with links to its neighbours' pages."""
    explorers = prepare(nb, names)
    link = lambda name: name and {"href": f"{name}.html", "name": name}
    resources = {"metadata": {"name": title},
                 "lossbook": {"css": CSS, "previous": link(previous), "next": link(following)}}
    body, _ = html.from_notebook_node(nb, resources=resources)
    return finish_page(body, explorers)


def markdown_notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s) for s in sources])


def path_table(start_page):
    """The markdown cell of 00_start_here that holds the path table (the one headed "## The path"), or None."""
    for cell in start_page.cells:
        if cell.cell_type == "markdown" and PATH_HEADING in cell.source:
            return cell.source
    return None


def index_notebook(paths, titles, start_page):
    intro = ("# lossbook\n\nLoss functions in PyTorch, from the likelihood to tensors you write yourself to the "
             "PyTorch classes. This is the HTML edition: every notebook with its stored outputs, readable without "
             "Python. The sliders of the explorers need a running notebook (`make lab`); here each explorer "
             "shows a picture of its default setting, and each exercise's solution is collapsed under it.\n\n"
             f"The terms in English and Chinese: the [glossary]({GLOSSARY}).")
    table = path_table(start_page) if start_page is not None else None
    listed = set(NOTEBOOK_NAME.findall(table or ""))
    missing = [p.stem for p in paths if p.stem not in listed]
    sources = [intro] + ([table] if table else [])
    if missing:
        heading = "## More notebooks" if table else "## The notebooks"
        sources.append(heading + "\n\n" + "\n".join(f"- `{name}`: {titles[name]}" for name in missing))
    return markdown_notebook(*sources)


def build(out=DEFAULT_OUT, source=NOTEBOOKS):
    """Write the edition into ``out`` (emptied first); the names of the pages written."""
    out, source = Path(out), Path(source)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = notebook_paths(source)
    names = {p.stem for p in paths}
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in paths}
    titles = {name: title_of(nb, name) for name, nb in notebooks.items()}
    stems = [p.stem for p in paths]
    html = exporter()
    pages = []
    for i, name in enumerate(stems):
        previous, following = stems[i - 1] if i > 0 else None, stems[i + 1] if i + 1 < len(stems) else None
        page = render(html, notebooks[name], titles[name], names, previous, following)
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        pages.append(f"{name}.html")
    index = index_notebook(paths, titles, notebooks.get("00_start_here"))
    (out / "index.html").write_text(render(html, index, "lossbook", names), encoding="utf-8")
    pages.append("index.html")
    glossary = source / GLOSSARY
    if glossary.exists():
        page = markdown_notebook(glossary.read_text(encoding="utf-8"))
        (out / "glossary.html").write_text(render(html, page, "lossbook · glossary", names), encoding="utf-8")
        pages.append("glossary.html")
    return pages


def broken_links(out):
    """Links between the pages that point at no page or no anchor: [(page, href)]."""
    out = Path(out)
    ids, hrefs = {}, {}
    for page in sorted(out.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), features="html.parser")
        ids[page.name] = {element["id"] for element in soup.select("[id]")}
        hrefs[page.name] = [a["href"] for a in soup.select("a[href]")]
    broken = []
    for page, links in hrefs.items():
        for href in links:
            if EXTERNAL.match(href):
                continue
            target, _, fragment = href.partition("#")
            target = target or page
            if target not in ids or (fragment and fragment not in ids[target]):
                broken.append((page, href))
    return broken


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/html)")
    args = parser.parse_args(argv)
    pages = build(args.out)
    print(f"HTML edition: {len(pages)} pages in {args.out} (open {args.out / 'index.html'})")
    for page, href in broken_links(args.out):
        print(f"warning: {page} links to {href!r}, which is not in the edition")


if __name__ == "__main__":
    sys.exit(main())
