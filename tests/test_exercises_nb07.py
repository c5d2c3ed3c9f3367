"""The self-checks of notebooks/07_cross_entropy_in_pytorch.ipynb: a right answer passes every case, a wrong one gets
✗ lines and the hint, and the untouched stub is reported as "not implemented yet"."""
import torch
import torch.nn.functional as F

from helpers.exercises import nb07


def _stub(*args):
    raise NotImplementedError


def weighted_mean_cross_entropy(logits, target, weight):
    log_probs = F.log_softmax(logits, dim=1)
    w = weight[target]
    picked = log_probs.gather(1, target.unsqueeze(1)).squeeze(1)
    return -(w * picked).sum() / w.sum()


def weighted_mean_over_n(logits, target, weight):
    return -(weight[target] * F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)).mean()


def label_smoothed_targets(target, num_classes, epsilon):
    return (1 - epsilon) * F.one_hot(target, num_classes).float() + epsilon / num_classes


def smoothing_without_the_uniform_part(target, num_classes, epsilon):
    return (1 - epsilon) * F.one_hot(target, num_classes).float()


def cross_entropy_ignore_index(logits, target, ignore_index):
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    return -(picked * kept).sum() / kept.sum()


def mean_over_all_items(logits, target, ignore_index):
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    return -(picked * kept).sum() / target.numel()


def _assert_all_pass(out, n_cases):
    assert "✗" not in out
    assert out.count("  ✓ ") == n_cases
    assert f"All {n_cases} checks passed." in out


def _assert_fails_with_hint(out, hint_fragment):
    assert "  ✗ " in out
    assert "checks passed. Hint:" in out
    assert hint_fragment in out
    assert "All " not in out


def test_weighted_mean_cross_entropy_check(capsys):
    nb07.check_weighted_mean_cross_entropy(weighted_mean_cross_entropy)
    _assert_all_pass(capsys.readouterr().out, 4)

    nb07.check_weighted_mean_cross_entropy(weighted_mean_over_n)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "not by N")
    assert "  ✓ equal weights [1, 1] give the plain mean" in out  # dividing by N is right only for equal weights

    nb07.check_weighted_mean_cross_entropy(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_label_smoothed_targets_check(capsys):
    nb07.check_label_smoothed_targets(label_smoothed_targets)
    _assert_all_pass(capsys.readouterr().out, 5)

    nb07.check_label_smoothed_targets(smoothing_without_the_uniform_part)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "add epsilon / num_classes")
    assert "  ✓ ε = 0 gives the plain one-hot rows" in out

    nb07.check_label_smoothed_targets(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_cross_entropy_ignore_index_check(capsys):
    nb07.check_cross_entropy_ignore_index(cross_entropy_ignore_index)
    _assert_all_pass(capsys.readouterr().out, 4)

    nb07.check_cross_entropy_ignore_index(mean_over_all_items)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "divide the sum by kept.sum()")
    assert "  ✗ 3 of 10 targets are −100" in out

    nb07.check_cross_entropy_ignore_index(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_reference_answers_match_torch():
    logits = torch.tensor([[1.0, 2.0], [1.0, 3.0], [1.0, 3.0]])
    target = torch.tensor([0, 1, 1])
    torch.testing.assert_close(weighted_mean_cross_entropy(logits, target, torch.tensor([1.0, 2.0])),
                               torch.tensor(0.3642), atol=5e-5, rtol=0)
    torch.testing.assert_close(F.cross_entropy(logits, label_smoothed_targets(target, 2, 0.1)),
                               F.cross_entropy(logits, target, label_smoothing=0.1))
