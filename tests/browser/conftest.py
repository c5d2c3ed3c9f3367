"""Fixtures for the real-browser tests: a JupyterLab server on a copy of the notebooks, headless Chromium, a page.

Chromium is Debian's (``make setup`` installs it), driven by Playwright. A missing server or browser is a failure,
not a skip: ``make test`` is what CI runs. Screenshots and server logs go to pytest's temporary folder; the
terminal summary says where.
"""
import json
import os
import re
import secrets
import shutil
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from . import local_servers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
DEFAULT_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000
NOT_LOCAL = re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/])")

# JupyterLab user settings: no news or update toast over the page, and every cell in the DOM (no windowing).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

output_dirs_key = pytest.StashKey[dict]()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab or Voilà in headless Chromium (tests/browser)")
    config.stash[output_dirs_key] = {}


def pytest_terminal_summary(terminalreporter, config):
    for what, path in config.stash.get(output_dirs_key, {}).items():
        terminalreporter.write_line(f"browser tests: {what} in {path}")


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory, pytestconfig):
    path = tmp_path_factory.mktemp("browser-screenshots")
    pytestconfig.stash[output_dirs_key]["screenshots"] = path
    return path


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory, pytestconfig):
    """Where the servers keep their logs, settings and Jupyter runtime files."""
    path = tmp_path_factory.mktemp("browser-servers")
    pytestconfig.stash[output_dirs_key]["server logs"] = path
    return path


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (make setup installs it).")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        except PlaywrightError as error:
            pytest.fail(f"could not start {CHROMIUM}: {error}")
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A page in a fresh browser context, which may only reach 127.0.0.1."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.route(NOT_LOCAL, lambda route: route.abort())
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


class JupyterLab:
    def __init__(self, url, token, notebook_dir):
        self.url, self.token, self.notebook_dir = url, token, notebook_dir
        self.shutdowns = []

    def notebook_name(self, number):
        (path,) = self.notebook_dir.glob(f"{number}_*.ipynb")
        return path.name

    def notebook_url(self, number):
        """The page of notebook ``number`` (e.g. "02"), in a workspace of its own so none restores another."""
        return f"{self.url}/lab/workspaces/test-{number}/tree/{self.notebook_name(number)}?token={self.token}"

    def start_kernel(self, number):
        """Start the notebook's kernel as JupyterLab would; the page then joins this session (found by path)."""
        name = self.notebook_name(number)
        kernel = json.loads((self.notebook_dir / name).read_text())["metadata"]["kernelspec"]["name"]
        self._request("/api/sessions", method="POST",
                      body={"path": name, "name": name, "type": "notebook", "kernel": {"name": kernel}})

    def _request(self, path, method="GET", body=None):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            reply = response.read()
        return json.loads(reply) if reply else None

    def shut_down_kernels(self):
        """End the running sessions and their kernels; in the background, as each takes a second to exit."""
        paths = [f"/api/sessions/{session['id']}" for session in self._request("/api/sessions")]
        shutdown = threading.Thread(target=lambda: [self._request(path, method="DELETE") for path in paths])
        shutdown.start()
        self.shutdowns.append(shutdown)

    def wait_for_shutdowns(self):
        for shutdown in self.shutdowns:
            shutdown.join(timeout=30)


@pytest.fixture(scope="module")
def jupyterlab_server(server_dir):
    """JupyterLab on a random port with a random token, serving a temporary copy of the notebooks."""
    root = server_dir / "jupyterlab"
    notebook_dir = root / "notebooks"
    shutil.copytree(local_servers.NOTEBOOK_DIR, notebook_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings_dir, workspaces_dir = root / "settings", root / "workspaces"
    for name, settings in LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    workspaces_dir.mkdir()

    port, token = local_servers.free_port(), secrets.token_hex(24)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={notebook_dir}", f"--LabApp.user_settings_dir={settings_dir}",
               f"--LabApp.workspaces_dir={workspaces_dir}", "--LabApp.expose_app_in_browser=True",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log_path = root / "jupyterlab.log"
    process = local_servers.start(command, log_path, env=local_servers.isolated_environment(root))
    try:
        url = f"http://127.0.0.1:{port}"
        local_servers.wait_until_up(process, f"{url}/api/status?token={token}", log_path, "JupyterLab")
        jupyterlab = JupyterLab(url, token, notebook_dir)
        yield jupyterlab
        jupyterlab.wait_for_shutdowns()
    finally:
        local_servers.stop(process)


@pytest.fixture
def jupyterlab(jupyterlab_server):
    """The server; every kernel started during the test is shut down after it (2 cores, no idle kernels)."""
    yield jupyterlab_server
    jupyterlab_server.shut_down_kernels()
