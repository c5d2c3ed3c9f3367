"""Each notebook with slider explorers, run in JupyterLab in Chromium: every slider and toggle moves the readout."""
import pytest
from playwright.sync_api import expect

from .explorer_driver import drive_explorer

pytestmark = pytest.mark.browser

RUN_ALL_TIMEOUT_MS = 60_000
KERNEL_TIMEOUT_MS = 60_000

# Notebook number → the explorers it displays (names in helpers.explorers.EXPLORERS).
NOTEBOOK_EXPLORERS = {
    "01": ["gaussian"],
    "02": ["likelihood", "sigmoid-bce"],
    "03": ["float-precision"],
    "05": ["softmax"],
    "08": ["weights"],
    "10": ["gradient-descent"],
    "12": ["loss-zoo"],
}

# The notebook panel is on screen, and its kernel is connected and idle (the toolbar says idle too early).
KERNEL_READY = """(name) => {
    const panel = window.jupyterapp?.shell?.currentWidget;
    const kernel = panel?.sessionContext?.session?.kernel;
    return !!(panel?.context?.path?.endsWith(name) && panel.sessionContext.isReady && kernel
              && kernel.connectionStatus === 'connected' && kernel.status === 'idle');
}"""

RUN_ALL = """() => {
    const commands = window.jupyterapp.commands;
    commands.execute('notebook:clear-all-cell-outputs');
    commands.execute('notebook:run-all-cells');
}"""

# Progress of a run-all after clearing the outputs: the code cells still without an execution count, and the
# errors of cells not tagged raises-exception.
RUN_PROGRESS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const progress = {busy: panel.sessionContext.session?.kernel?.status !== 'idle', pending: [], errors: []};
    panel.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code' || !cell.model.sharedModel.getSource().trim()) return;
        if (cell.model.executionCount === null) progress.pending.push(index);
        const tags = cell.model.getMetadata('tags') || [];
        for (let k = 0; k < cell.model.outputs.length; k++) {
            const output = cell.model.outputs.get(k).toJSON();
            if (output.output_type === 'error' && !tags.includes('raises-exception'))
                progress.errors.push(`cell ${index}: ${output.ename}: ${output.evalue}`);
        }
    });
    return progress;
}"""


def open_notebook(page, jupyterlab, number):
    # The kernel boots while the page loads: about 3 s less per notebook than when the page asks for it.
    jupyterlab.start_kernel(number)
    page.goto(jupyterlab.notebook_url(number), wait_until="domcontentloaded")
    page.wait_for_function(KERNEL_READY, arg=jupyterlab.notebook_name(number), timeout=KERNEL_TIMEOUT_MS,
                           polling=200)


def run_all_cells(page):
    """Run every cell from a fresh kernel; fail if a cell errs unexpectedly or the notebook does not finish."""
    page.evaluate(RUN_ALL)
    page.wait_for_function(f"""() => {{
        const progress = ({RUN_PROGRESS})();
        return progress.errors.length > 0 || (!progress.busy && progress.pending.length === 0);
    }}""", timeout=RUN_ALL_TIMEOUT_MS, polling=250)
    progress = page.evaluate(RUN_PROGRESS)
    assert not progress["errors"], "cells failed:\n" + "\n".join(progress["errors"])
    assert not progress["pending"], f"cells {progress['pending']} did not run"
    expect(page.locator(".jp-Dialog")).to_have_count(0)


@pytest.mark.parametrize("number", NOTEBOOK_EXPLORERS)
def test_every_control_of_the_explorers_moves_the_readout(jupyterlab, page, screenshot_dir, number):
    open_notebook(page, jupyterlab, number)
    run_all_cells(page)
    for name in NOTEBOOK_EXPLORERS[number]:
        explorer = drive_explorer(page, name)
    explorer.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"jupyterlab-{number}.png")
