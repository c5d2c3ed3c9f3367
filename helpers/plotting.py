"""The figure style every notebook shares: small PNGs with titles, labelled axes and legends.

PNG rather than SVG, because SVG output carries random ids that change at every run, and small, because a
notebook must stay under 1 MB.
"""
import matplotlib
import matplotlib.pyplot as plt


# The look every lossbook figure shares; the slider explorers start from it too (helpers.explorers.figures).
LOSSBOOK_STYLE = {
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def use_lossbook_style():
    """Call once at the top of a notebook: PNG output at a modest resolution, readable fonts, a light grid."""
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("png")
    except ImportError:  # outside IPython there is nothing to configure
        pass
    matplotlib.rcParams.update({**LOSSBOOK_STYLE, "figure.figsize": (6.4, 3.6), "figure.dpi": 80, "savefig.dpi": 80,
                                "font.size": 11})


def finish(ax, title, xlabel, ylabel, legend=True):
    """Title, axis labels and (if there are labelled artists) a legend: the three things every plot needs."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend()
    return ax


def new_axes(ncols=1, width=None, height=3.6):
    """A figure with ``ncols`` side-by-side axes; returns (fig, axes) with axes a list."""
    fig, axes = plt.subplots(1, ncols, figsize=(width or 6.4 * min(ncols, 2), height), squeeze=False)
    return fig, list(axes[0])
