"""The HTML edition (``make html``) in headless Chromium, served from 127.0.0.1 as a course site would serve it.

Every page loads without a script error, every picture (the explorers' included) is decoded and shown, every
link between the pages reaches an existing page and anchor, and a solution stays collapsed until clicked. The
only request that leaves 127.0.0.1 is MathJax's script from its CDN, which the test browser blocks.
"""
import functools
import http.server
import json
import sys
import threading
import urllib.parse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from . import local_servers

sys.path.insert(0, str(local_servers.ROOT / "scripts"))
import make_html_edition  # noqa: E402

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(local_servers.NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
PAGES = [f"{nb.stem}.html" for nb in NOTEBOOKS] + ["index.html"] + (
    ["glossary.html"] if (local_servers.NOTEBOOK_DIR / make_html_edition.GLOSSARY).exists() else [])
MATHJAX_CDN = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"

IMAGES = """() => [...document.images].map(img => ({
  src: img.src.slice(0, 60), explorer: img.classList.contains('lossbook-explorer-picture'),
  complete: img.complete, naturalWidth: img.naturalWidth, shownWidth: img.getBoundingClientRect().width}))"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The edition built from the notebooks into a temporary folder, served on 127.0.0.1; (base URL, folder)."""
    folder = tmp_path_factory.mktemp("html-edition")
    make_html_edition.build(folder)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: the system picks a free one
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()


def explorer_count(notebook):
    """How many explorer pictures the notebook stores: outputs with a widget and its PNG."""
    cells = json.loads(notebook.read_text())["cells"]
    return sum(1 for cell in cells for output in cell.get("outputs", [])
               if make_html_edition.WIDGET_MIME in output.get("data", {}) and "image/png" in output.get("data", {}))


@functools.lru_cache(maxsize=None)
def anchors(folder, name):
    path = folder / name
    if not path.is_file():
        return None
    return {element["id"] for element in
            BeautifulSoup(path.read_text(encoding="utf-8"), features="html.parser").select("[id]")}


def open_page(page, url):
    """Go to ``url``; the console errors and uncaught exceptions that are not MathJax's blocked CDN request."""
    problems, blocked = [], []
    page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").startswith(MATHJAX_CDN)
            and problems.append(f"console: {m.text} ({m.location.get('url', '')[:100]})"))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: blocked.append(request.url))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    others = [u for u in blocked if not u.startswith(MATHJAX_CDN)]
    assert not others, f"{url} requested resources that failed or left 127.0.0.1: {others}"
    return problems


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_shows_its_pictures_and_its_links_resolve(site, page, name):
    base, folder = site
    problems = open_page(page, base + name)
    assert not problems, f"{name}: {problems}"

    images = page.evaluate(IMAGES)
    broken = [image for image in images if not image["complete"] or image["naturalWidth"] == 0
              or image["shownWidth"] == 0]
    assert not broken, f"{name}: pictures that do not show: {broken}"
    notebook = local_servers.NOTEBOOK_DIR / name.replace(".html", ".ipynb")
    if notebook.exists():
        expected = explorer_count(notebook)
        shown = sum(image["explorer"] for image in images)
        assert shown == expected, f"{name}: {shown} explorer pictures shown, the notebook stores {expected}"

    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    internal = [h for h in hrefs if h.startswith(base)]
    assert internal, f"{name} links no other page"
    missing = []
    for href in internal:
        target, _, fragment = href[len(base):].partition("#")
        ids = anchors(folder, urllib.parse.unquote(target) or name)
        # As a browser does: the element whose id is the fragment as written, or percent-decoded.
        if ids is None or (fragment and not {fragment, urllib.parse.unquote(fragment)} & ids):
            missing.append(href[len(base):])
    assert not missing, f"{name} links to pages or anchors that do not exist: {missing}"


def test_the_index_links_every_notebook_and_a_click_opens_it(site, page):
    base, _ = site
    open_page(page, base + "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    unlisted = [p for p in PAGES if p != "index.html" and p not in hrefs]
    assert not unlisted, f"index.html does not link {unlisted}"
    last = NOTEBOOKS[-1]
    page.locator(f'main a[href="{last.stem}.html"]').first.click()
    expect(page).to_have_url(base + f"{last.stem}.html")
    expect(page.locator("h1").first).to_contain_text(last.stem[:2])


def test_a_solution_stays_collapsed_until_it_is_clicked(site, page):
    base, _ = site
    chapter = next(nb for nb in NOTEBOOKS if '"solution"' in nb.read_text())
    open_page(page, base + f"{chapter.stem}.html")
    solution = page.locator("details.lossbook-solution").first
    code = solution.locator(".jp-InputArea-editor")
    expect(solution.locator("summary")).to_be_visible()
    expect(code).to_be_hidden()
    solution.locator("summary").click()
    expect(code).to_be_visible()
    expect(solution.locator(".jp-OutputArea-output").first).to_contain_text("✓")
