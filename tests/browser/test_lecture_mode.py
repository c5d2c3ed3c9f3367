"""Lecture mode (``make present NB=02``): Voilà shows outputs only, in the big layout, and the sliders work; the
whole page is projector-sized (prose ≥ 20 px, headings, math and outputs scaled with it) and a 1600 px wide screen
needs no horizontal scrolling."""
import sys

import pytest
from playwright.sync_api import expect

from helpers.explorers import EXPLORERS

from . import local_servers
from .explorer_driver import css_class, expect_readout, move_slider

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 60_000
PROJECTOR = {"width": 1600, "height": 1000}
MIN_PROSE_PX = 20
MIN_OUTPUT_PX = 18

# Computed font sizes (px) of the page's parts, and how far the page and its visible elements reach to the right.
MEASURE = """() => {
  const px = selector => [...document.querySelectorAll(selector)].map(e => parseFloat(getComputedStyle(e).fontSize));
  const width = document.documentElement.clientWidth;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const beyond = [...document.querySelectorAll('#rendered_cells *')]
    .filter(e => !e.closest('mjx-assistive-mml') && visible(e) && e.getBoundingClientRect().right > width + 0.5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} reaches ${Math.round(e.getBoundingClientRect().right)} px`);
  return {prose: px('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li'), h1: px('.jp-RenderedMarkdown h1'),
          h2: px('.jp-RenderedMarkdown h2'), math: px('.jp-RenderedMarkdown mjx-container'),
          outputs: px('.jp-OutputArea-output pre'), readout: px('.lossbook-readout pre'),
          scrollWidth: document.documentElement.scrollWidth, clientWidth: width, beyond: beyond.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def lecture_server(server_dir, request):
    """``scripts/present.py 02`` (or the notebook given as the fixture's parameter) on a random port; its URL."""
    notebook = getattr(request, "param", "02")
    port = local_servers.free_port()
    log_path = server_dir / f"present-{notebook}.log"
    process = local_servers.start([sys.executable, "scripts/present.py", notebook, "--port", str(port),
                                   "--no-browser"], log_path, env=local_servers.isolated_environment(server_dir))
    try:
        url = f"http://127.0.0.1:{port}/"
        local_servers.wait_until_up(process, f"{url}voila/static/voila-style.js", log_path, "Voilà")
        yield url
    finally:
        local_servers.stop(process)


def test_present_shows_the_big_explorer_without_code(lecture_server, page, screenshot_dir):
    page.goto(lecture_server, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    root = page.locator(".lossbook-explorer-sigmoid-bce")
    expect(root).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(root).to_have_class(css_class("lossbook-big"))
    expect(page.locator(".jp-InputArea-editor:visible")).to_have_count(0)
    expect(page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')).to_have_count(0)
    expect(page.locator("#rendered_cells")).not_to_contain_text("Traceback")
    expect(page.locator("#rendered_cells")).not_to_contain_text("There was an error")

    explorer = EXPLORERS["sigmoid-bce"](big=True)
    readout = root.locator(".lossbook-readout pre")
    expect_readout(readout, explorer.state.readout)
    z = move_slider(root.locator(".widget-slider"), explorer.controls["z"])
    expect_readout(readout, explorer.compute(**{**explorer.values(), "z": z}).readout)
    page.screenshot(path=screenshot_dir / "lecture-mode-02.png")


# 02: two big explorers, math and plots; 08: the widest table of code names.
@pytest.mark.parametrize("lecture_server", ["02", "08"], indirect=True)
def test_present_fills_the_room_on_a_1600_px_screen(lecture_server, page, screenshot_dir, request):
    notebook = request.node.callspec.params["lecture_server"]
    page.set_viewport_size(PROJECTOR)
    page.goto(lecture_server, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(".lossbook-explorer").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(".jp-RenderedMarkdown mjx-container").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(1000)  # let MathJax finish typesetting the page, which can widen it
    sizes = page.evaluate(MEASURE)
    page.screenshot(path=screenshot_dir / f"lecture-mode-{notebook}-1600px.png")
    print(f"lecture mode, {notebook} at 1600 px: prose {min(sizes['prose'])} px, h1 {sizes['h1'][0]} px, "
          f"h2 {sizes['h2'][0]} px, math {min(sizes['math'])} px, outputs {min(sizes['outputs'])} px")

    prose = min(sizes["prose"])
    assert prose >= MIN_PROSE_PX, f"the smallest prose is {prose} px; lecture mode needs at least {MIN_PROSE_PX}"
    assert min(sizes["h2"]) >= 1.4 * prose and min(sizes["h1"]) > max(sizes["h2"]), \
        f"headings do not scale with the prose ({prose} px): h1 {sizes['h1']}, h2 {sizes['h2']}"
    assert min(sizes["math"]) >= prose, f"math at {min(sizes['math'])} px is smaller than the prose ({prose} px)"
    assert min(sizes["outputs"]) >= MIN_OUTPUT_PX, \
        f"printed outputs at {min(sizes['outputs'])} px; lecture mode needs at least {MIN_OUTPUT_PX}"
    assert min(sizes["readout"]) >= MIN_PROSE_PX, f"the explorer's readout shrank to {sizes['readout']} px"
    assert sizes["scrollWidth"] <= sizes["clientWidth"], \
        f"the page scrolls sideways: {sizes['scrollWidth']} px wide in a {sizes['clientWidth']} px window"
    assert not sizes["beyond"], f"elements reach past the right edge: {sizes['beyond']}"
