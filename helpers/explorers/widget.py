"""The widget side of an explorer: sliders and toggles in, a readout and a picture out.

An ``Explorer`` ties named controls to a pure state function (``helpers.explorers.states``) and a figure
(``helpers.explorers.figures``). Every change of a control recomputes the state, moves the figure's artists,
and sends the new PNG and readout to the page. Displayed in a notebook, its output carries two representations:
the live widget, and a PNG of the default state with the readout under it. JupyterLab and Voilà show the widget;
GitHub and nbviewer, which have no kernel and (in our stored notebooks) no widget state, show the picture.
"""
import base64
import html
import os

import ipywidgets as widgets

BIG_ENVIRONMENT_VARIABLE = "LOSSBOOK_BIG"

BIG_CSS = """<style>
.lossbook-big .widget-label, .lossbook-big .widget-readout, .lossbook-big .widget-toggle-button,
.lossbook-big .widget-html-content { font-size: 20px !important; line-height: 1.4; }
.lossbook-big .widget-toggle-button { height: 40px; }
.lossbook-big .widget-slider .noUi-handle { width: 22px; height: 22px; }
</style>"""


def big_by_default():
    """Projector layout unless told otherwise: ``make present`` sets LOSSBOOK_BIG=1 for the notebook it serves."""
    return os.environ.get(BIG_ENVIRONMENT_VARIABLE, "0") not in ("", "0")


def slider(description, value, low, high, step, big=False):
    """A float slider whose readout shows two decimals, the precision of every explorer readout."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=".2f", continuous_update=True,
                               style={"description_width": "190px" if big else "110px"},
                               layout=widgets.Layout(width="640px" if big else "420px"))


def toggle(description, options, value, big=False):
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": "190px" if big else "110px",
                                        "button_width": "110px" if big else "70px"})


class Explorer:
    """Named controls → ``compute(**values)`` → a figure and a text readout. See the module docstring."""

    def __init__(self, name, title, controls, compute, figure):
        self.name, self.title = name, title
        self.controls = controls
        self.compute = compute
        self.figure = figure
        self.big = figure.big
        self.readout = widgets.HTML()
        self.readout.add_class("lossbook-readout")
        self.image = widgets.Image(format="png")
        header = widgets.HTML(f"<b>{html.escape(title)}</b>" + (BIG_CSS if self.big else ""))
        inputs = list(controls.values())
        if len(inputs) > 3:
            inputs = [widgets.GridBox(inputs, layout=widgets.Layout(
                grid_template_columns="repeat(2, max-content)", grid_gap="2px 24px"))]
        self.widget = widgets.VBox([header, *inputs, self.readout, self.image])
        self.widget.add_class("lossbook-explorer")
        self.widget.add_class(f"lossbook-explorer-{name}")
        if self.big:
            self.widget.add_class("lossbook-big")
        for control in controls.values():
            control.observe(self._refresh, names="value")
        self._refresh()

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Move controls from code, as a reader would with the mouse (each change redraws)."""
        for name, value in values.items():
            self.controls[name].value = value

    def _refresh(self, change=None):
        self.state = self.compute(**self.values())
        self.figure.update(self.state)
        self.image.value = self.figure.png()
        size = 22 if self.big else 13
        self.readout.value = (f'<pre style="font-size: {size}px; line-height: 1.35; margin: 4px 0">'
                              f"{html.escape(self.state.readout)}</pre>")

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.figure.png(caption=self.state.readout)).decode("ascii")
        bundle["text/plain"] = f"{self.title}\n{self.state.readout}"
        return bundle
