"""The self-checks of notebooks/04_binary_cross_entropy_in_pytorch.ipynb: right answers pass, wrong ones get ✗."""
import torch
import torch.nn.functional as F

from helpers.exercises import nb04


def pos_weight_from_labels(labels):
    positives = labels.sum(dim=0)
    return (labels.shape[0] - positives) / positives


def weighted_bce(p, y, weight):
    return (-weight * (y * torch.log(p) + (1 - y) * torch.log(1 - p))).mean()


def weighted_bce_divided_by_weights(p, y, weight):
    loss = -weight * (y * torch.log(p) + (1 - y) * torch.log(1 - p))
    return loss.sum() / weight.expand_as(loss).sum()


def bce_with_logits_pos_weight(x, y, pos_weight):
    return -(pos_weight * y * F.logsigmoid(x) + (1 - y) * F.logsigmoid(-x)).mean()


def bce_with_logits_pos_weight_unstable(x, y, pos_weight):
    p = torch.sigmoid(x)
    return -(pos_weight * y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def stub(*args):
    raise NotImplementedError


def assert_all_pass(capsys):
    out = capsys.readouterr().out
    assert "✗" not in out, out
    assert "All" in out and "checks passed." in out, out


def assert_fails_with_hint(capsys, failing_label):
    assert_output_fails_with_hint(capsys.readouterr().out, failing_label)


def assert_output_fails_with_hint(out, failing_label):
    assert any("✗" in line and failing_label in line for line in out.splitlines()), out
    assert "Hint:" in out, out


def assert_not_implemented(capsys):
    out = capsys.readouterr().out
    assert "not implemented yet" in out, out
    assert "✓" not in out, out


def test_pos_weight_reference_passes(capsys):
    nb04.check_pos_weight_from_labels(pos_weight_from_labels)
    assert_all_pass(capsys)


def test_pos_weight_inverted_fails(capsys):
    nb04.check_pos_weight_from_labels(lambda labels: 1 / pos_weight_from_labels(labels))
    assert_fails_with_hint(capsys, "counted by hand")


def test_pos_weight_summed_over_the_wrong_dimension_fails(capsys):
    nb04.check_pos_weight_from_labels(lambda labels: (labels.shape[1] - labels.sum(1)) / labels.sum(1))
    assert_fails_with_hint(capsys, "counted by hand")


def test_pos_weight_stub(capsys):
    nb04.check_pos_weight_from_labels(stub)
    assert_not_implemented(capsys)


def test_weighted_bce_reference_passes(capsys):
    nb04.check_weighted_bce(weighted_bce)
    assert_all_pass(capsys)


def test_weighted_bce_dividing_by_the_weights_fails(capsys):
    nb04.check_weighted_bce(weighted_bce_divided_by_weights)
    out = capsys.readouterr().out
    assert "✓ weights of ones give the plain mean" in out, out
    assert "✗ zero weights still count in the mean's denominator" in out and "Hint:" in out, out


def test_weighted_bce_stub(capsys):
    nb04.check_weighted_bce(stub)
    assert_not_implemented(capsys)


def test_pos_weight_loss_reference_passes(capsys):
    nb04.check_bce_with_logits_pos_weight(bce_with_logits_pos_weight)
    assert_all_pass(capsys)


def test_pos_weight_loss_unstable_fails_on_extreme_logits(capsys):
    nb04.check_bce_with_logits_pos_weight(bce_with_logits_pos_weight_unstable)
    out = capsys.readouterr().out
    assert "✓ the worked table with pos_weight = [3]" in out and "✓ pos_weight = 1 is the plain loss" in out, out
    assert_output_fails_with_hint(out, "extreme logits")


def test_pos_weight_on_the_negative_term_fails(capsys):
    nb04.check_bce_with_logits_pos_weight(
        lambda x, y, pw: -(y * F.logsigmoid(x) + pw * (1 - y) * F.logsigmoid(-x)).mean())
    assert_fails_with_hint(capsys, "the worked table")


def test_pos_weight_loss_stub(capsys):
    nb04.check_bce_with_logits_pos_weight(stub)
    assert_not_implemented(capsys)
