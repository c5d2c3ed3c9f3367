"""`make html`, fast and without a browser: scripts/make_html_edition.py on three small notebooks of its own.

The links between notebooks become links between pages, notebook names in backticks become links, a solution
is collapsed in <details>, an explorer shows its picture with its readout as text, and the index lists every
notebook. tests/browser/test_html_edition.py opens the real edition in Chromium.
"""
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from notebook_files import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_html_edition  # noqa: E402

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGNoUFCAIwacHAC0JwkBx2CG8gAAAABJRU5ErkJggg=="
WIDGET = {"model_id": "0123", "version_major": 2, "version_minor": 0}


def explorer_output():
    return new_output("display_data", data={make_html_edition.WIDGET_MIME: WIDGET, "image/png": PNG,
                                            "text/plain": "Sigmoid & BCE\nz = 2.00: σ(z) = 0.881"})


def write(folder, name, *cells):
    nbformat.write(new_notebook(cells=list(cells)), folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    notebooks = tmp_path_factory.mktemp("notebooks")
    write(notebooks, "00_start_here",
          new_markdown_cell("# 00 · Start here"),
          new_markdown_cell("## The path\n\n| Notebook | What it teaches |\n|---|---|\n"
                            "| `00_start_here` | how to start |\n| `01_alpha` | the first loss |\n\n"
                            "The terms in Chinese: [`glossary.md`](glossary.md)."))
    write(notebooks, "01_alpha",
          new_markdown_cell("# 01 · Alpha\n\nRead [the next one](02_beta.ipynb#The-section) and "
                            "[the start](notebooks/00_start_here.ipynb), then **`02_beta.ipynb`**; "
                            "`99_not_written` is not a notebook here."),
          new_code_cell("sigmoid_bce_explorer()", outputs=[explorer_output()], execution_count=1),
          new_code_cell("_ = interact(f, z=1.0)", execution_count=2,
                        outputs=[new_output("display_data", data={make_html_edition.WIDGET_MIME: WIDGET,
                                                                  "text/plain": "interactive(children=…)"})]),
          new_code_cell("def answer():\n    return 42\n\n\ncheck_answer(answer)", execution_count=3,
                        metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}},
                        outputs=[new_output("stream", name="stdout", text="✓ answer: correct\n")]))
    write(notebooks, "02_beta", new_markdown_cell("# 02 · Beta\n\n## The section\n\nBack to `01_alpha`."))
    (notebooks / "glossary.md").write_text("# Glossary\n\n| English | 中文 |\n|---|---|\n"
                                           "| alpha | 阿尔法 ([01](01_alpha.ipynb)) |\n")
    out = tmp_path_factory.mktemp("html")
    pages = make_html_edition.build(out, notebooks)
    return out, pages


def soup(site, page):
    out, _ = site
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), features="html.parser")


def hrefs(page_soup):
    return [a["href"] for a in page_soup.select("a[href]")]


def test_one_page_per_notebook_an_index_and_the_glossary(site):
    out, pages = site
    assert pages == ["00_start_here.html", "01_alpha.html", "02_beta.html", "index.html", "glossary.html"]
    assert sorted(p.name for p in out.iterdir()) == sorted(pages)
    assert soup(site, "01_alpha.html").title.string == "01 · Alpha"


def test_links_between_notebooks_point_at_the_pages(site):
    links = hrefs(soup(site, "01_alpha.html"))
    assert "02_beta.html#The-section" in links and "00_start_here.html" in links
    assert not [h for h in links if ".ipynb" in h or h.endswith(".md")], links
    assert "glossary.html" in hrefs(soup(site, "00_start_here.html"))
    assert "01_alpha.html" in hrefs(soup(site, "glossary.html"))


def test_notebook_names_in_backticks_become_links_to_existing_pages_only(site):
    page = soup(site, "01_alpha.html")
    linked = {a.get_text(): a["href"] for a in page.select("a[href] code")
              for a in [a.find_parent("a")]}
    assert linked["02_beta.ipynb"] == "02_beta.html"
    assert "99_not_written" not in linked
    assert [c.get_text() for c in page.select("code") if c.get_text() == "99_not_written"]


def test_every_link_between_the_pages_resolves(site):
    out, _ = site
    assert make_html_edition.broken_links(out) == []


def test_broken_links_are_found(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html">b</a> <a href="a.html#here">here</a> <p id="there"></p>'
                                     '<a href="https://example.org/">outside</a>')
    assert make_html_edition.broken_links(tmp_path) == [("a.html", "b.html"), ("a.html", "a.html#here")]


def test_a_solution_is_collapsed_and_marked(site):
    page = soup(site, "01_alpha.html")
    (details,) = page.select("details.lossbook-solution")
    assert "open" not in details.attrs
    assert details.summary.get_text().startswith("Solution")
    assert "check_answer" in details.get_text() and "✓ answer: correct" in details.get_text()
    assert "check_answer" not in "".join(str(c) for c in page.select(".jp-Cell") if not c.find_parent("details"))


def test_an_explorer_shows_its_picture_and_readout(site):
    page = soup(site, "01_alpha.html")
    (image,) = page.select("img.lossbook-explorer-picture")
    assert image["src"] == f"data:image/png;base64,{PNG}"
    assert image["alt"] == "Sigmoid & BCE\nz = 2.00: σ(z) = 0.881"
    assert page.select_one(".lossbook-picture-note").get_text().startswith("A picture of this explorer")
    assert "interactive(children" not in page.get_text()
    assert "An interactive widget appears here" in page.get_text()
    assert "require.js" not in str(page), "a page without widgets needs no require.js"


def test_the_index_holds_the_path_table_and_every_notebook(site):
    index = soup(site, "index.html")
    links = hrefs(index)
    assert {"00_start_here.html", "01_alpha.html", "02_beta.html", "glossary.html"} <= set(links)
    assert any(h.get_text().startswith("The path") for h in index.select("h2"))
    assert "02 · Beta" in index.get_text(), "a notebook missing from the path table is listed with its title"


def test_pages_link_their_neighbours(site):
    nav = soup(site, "01_alpha.html").select_one("nav.lossbook-nav")
    assert hrefs(nav) == ["index.html", "glossary.html", "00_start_here.html", "02_beta.html"]
