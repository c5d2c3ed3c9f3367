"""Drive a slider explorer in the page as a reader would, and check what it shows after every move.

Sliders move with the keyboard (focus the handle, press an arrow: one step per press), toggle buttons by a click.
After each move, the slider's own readout and the explorer's readout must show what the same explorer, built in
this process with ``EXPLORERS[name]``, computes for the new values.
"""
import re

import ipywidgets
from playwright.sync_api import expect

from helpers.explorers import EXPLORERS

PRESSES_PER_SLIDER = 2


def css_class(name):
    """A pattern for ``to_have_class``: the element has the class ``name`` among others."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def slider_readout(value):
    """The slider's readout text: ``.2f`` as d3-format writes it, with a real minus sign."""
    return f"{value:.2f}".replace("-", "\N{MINUS SIGN}")


def expect_readout(readout, text):
    # to_have_text compares with whitespace collapsed; the readout is preformatted, so compare exactly too.
    expect(readout).to_have_text(text)
    assert readout.text_content() == text


def move_slider(element, control, presses=PRESSES_PER_SLIDER):
    """Press an arrow key on the slider's handle ``presses`` times (leftwards when near the end); the new value."""
    expect(element.locator(".widget-label")).to_have_text(control.description)
    direction = 1 if control.value + presses * control.step <= control.max else -1
    handle = element.locator(".noUi-handle")
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight" if direction > 0 else "ArrowLeft")
    value = round(control.value + direction * presses * control.step, 10)
    expect(element.locator(".widget-readout")).to_have_text(slider_readout(value))
    return value


def click_other_option(element, control):
    """Click the toggle button of the option after the current one; the new value."""
    expect(element.locator(".widget-label")).to_have_text(control.description)
    options = list(control.options)
    value = options[(options.index(control.value) + 1) % len(options)]
    button = element.locator("button").nth(options.index(value))
    expect(button).to_have_text(str(value))
    button.click()
    expect(button).to_have_class(css_class("mod-active"))
    return value


def drive_explorer(page, name, big=False):
    """Move every control of the explorer ``name`` in turn, checking the readouts after each; its locator."""
    explorer = EXPLORERS[name](big=big)
    root = page.locator(f".lossbook-explorer-{name}")
    root.scroll_into_view_if_needed()
    expect(root).to_be_visible()
    readout = root.locator(".lossbook-readout pre")
    expect_readout(readout, explorer.state.readout)

    sliders, toggles = root.locator(".widget-slider"), root.locator(".widget-toggle-buttons")
    kinds = [isinstance(control, ipywidgets.FloatSlider) for control in explorer.controls.values()]
    expect(sliders).to_have_count(kinds.count(True))
    expect(toggles).to_have_count(kinds.count(False))

    values = explorer.values()
    slider_index = toggle_index = 0
    for control_name, control in explorer.controls.items():
        if isinstance(control, ipywidgets.FloatSlider):
            values[control_name] = move_slider(sliders.nth(slider_index), control)
            slider_index += 1
        else:
            values[control_name] = click_other_option(toggles.nth(toggle_index), control)
            toggle_index += 1
        expect_readout(readout, explorer.compute(**values).readout)
    return root
