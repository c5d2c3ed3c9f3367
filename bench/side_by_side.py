"""Report the ratio of two medians timed alternately (helpers.timing.alternating_medians), so that both functions
see the same machine load."""


def report(name, ours_label, ours, theirs_label, theirs, target=None):
    ratio = ours / theirs
    verdict = "" if target is None else (f"  (target ≤ {target}×: {'met' if ratio <= target else 'NOT met'})")
    print(f"{name}\n  {ours_label}: {ours * 1e3:9.2f} ms   {theirs_label}: {theirs * 1e3:9.2f} ms   "
          f"ratio {ratio:5.2f}×{verdict}")
    return ratio
