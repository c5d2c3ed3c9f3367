"""Lecture mode (``make present NB=02``): Voilà shows outputs only, in the big layout, and the sliders work."""
import sys

import pytest
from playwright.sync_api import expect

from helpers.explorers import EXPLORERS

from . import local_servers
from .explorer_driver import css_class, expect_readout, move_slider

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 60_000


@pytest.fixture
def lecture_server(server_dir):
    """``scripts/present.py 02`` on a random port; the URL of its page."""
    port = local_servers.free_port()
    log_path = server_dir / "present.log"
    process = local_servers.start([sys.executable, "scripts/present.py", "02", "--port", str(port), "--no-browser"],
                                  log_path, env=local_servers.isolated_environment(server_dir))
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
