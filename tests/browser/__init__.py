"""Real-browser tests (JupyterLab and Voilà in headless Chromium). A package, so that its conftest does not
shadow tests/conftest.py, which other tests import as ``conftest``."""
