"""Assertions on what an exercise's self-check printed (``helpers.selfcheck.run_checks``), for the exercise tests.

Each takes ``out``, the captured output of one self-check call (``capsys.readouterr().out``).
"""
PASSED = "  ✓ "
FAILED = "  ✗ "
NOT_IMPLEMENTED = "  ✗ not implemented yet"


def _lines_marked(out, mark):
    return [line for line in out.splitlines() if line.startswith(mark)]


def assert_all_passed(out, cases=None):
    """Every case got a ✓ and the summary says "All N checks passed."; with ``cases``, N is exactly that."""
    assert "✗" not in out, out
    passed = len(_lines_marked(out, PASSED))
    assert passed > 0, out
    assert f"All {passed} checks passed." in out, out
    if cases is not None:
        assert passed == cases, out


def assert_failed_with_hint(out, hint="", failure=""):
    """Some case got a ✗ (on a line containing ``failure``) and the summary gives the hint (containing ``hint``)."""
    assert any(failure in line for line in _lines_marked(out, FAILED)), out
    assert "All " not in out, out
    summaries = [line for line in out.splitlines() if " checks passed. Hint: " in line]
    assert len(summaries) == 1, out
    assert hint in summaries[0], out


def assert_not_implemented(out):
    """The check stopped at "not implemented yet" without passing any case."""
    assert NOT_IMPLEMENTED in out, out
    assert "✓" not in out, out


def assert_reported_not_raised(out, error_name):
    """The function's ``error_name`` exception became a ✗ line and the hint, instead of escaping the check."""
    assert_failed_with_hint(out, failure=f"raised {error_name}")
