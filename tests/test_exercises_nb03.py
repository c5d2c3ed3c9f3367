"""The self-checks of notebooks/03_binary_cross_entropy_with_tensors.ipynb: right answers pass, wrong ones get ✗."""
import torch

from helpers.exercises import nb03


def stable_bce_with_logits(z, y):
    log_sigmoid = torch.clamp(z, max=0) - torch.log1p(torch.exp(-z.abs()))
    return (1 - y) * z - log_sigmoid


def naive_bce_with_logits(z, y):
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p))


def bce_with_logits_grad(z, y):
    return (torch.sigmoid(z) - y) / z.numel()


def clamped_bce(p, y):
    return -(y * torch.log(p).clamp(min=-100) + (1 - y) * torch.log(1 - p).clamp(min=-100))


def clamped_after_multiplying(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).clamp(max=100)


def stub(*args):
    raise NotImplementedError


def assert_all_pass(capsys):
    out = capsys.readouterr().out
    assert "✗" not in out, out
    assert "checks passed." in out and "All" in out, out


def assert_fails_with_hint(capsys, failing_label):
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if "✗" in line]
    assert failed, out
    assert any(failing_label in line for line in failed), out
    assert "Hint:" in out, out


def assert_not_implemented(capsys):
    out = capsys.readouterr().out
    assert "not implemented yet" in out, out
    assert "✓" not in out, out


def test_stable_bce_reference_passes(capsys):
    nb03.check_stable_bce_with_logits(stable_bce_with_logits)
    assert_all_pass(capsys)


def test_stable_bce_naive_fails_on_extreme_logits(capsys):
    nb03.check_stable_bce_with_logits(naive_bce_with_logits)
    out = capsys.readouterr().out
    assert "✓ moderate logits" in out, out
    assert "✗ large positive logits" in out and "✗ large negative logits" in out, out
    assert "Hint:" in out, out


def test_stable_bce_wrong_sign_fails(capsys):
    nb03.check_stable_bce_with_logits(lambda z, y: -stable_bce_with_logits(z, y))
    assert_fails_with_hint(capsys, "moderate logits")


def test_stable_bce_stub(capsys):
    nb03.check_stable_bce_with_logits(stub)
    assert_not_implemented(capsys)


def test_grad_reference_passes(capsys):
    nb03.check_bce_with_logits_grad(bce_with_logits_grad)
    assert_all_pass(capsys)


def test_grad_without_the_mean_fails(capsys):
    nb03.check_bce_with_logits_grad(lambda z, y: torch.sigmoid(z) - y)
    out = capsys.readouterr().out
    assert "✓ a single logit" in out, out  # N = 1: the mean changes nothing
    assert "✗ four logits: the mean divides by 4" in out and "Hint:" in out, out


def test_grad_stub(capsys):
    nb03.check_bce_with_logits_grad(stub)
    assert_not_implemented(capsys)


def test_clamped_bce_reference_passes(capsys):
    nb03.check_clamped_bce(clamped_bce)
    assert_all_pass(capsys)


def test_clamping_after_multiplying_gives_nan(capsys):
    nb03.check_clamped_bce(clamped_after_multiplying)
    assert_fails_with_hint(capsys, "cost 0, not nan")


def test_unclamped_bce_fails(capsys):
    nb03.check_clamped_bce(lambda p, y: -(y * torch.log(p) + (1 - y) * torch.log(1 - p)))
    assert_fails_with_hint(capsys, "p = 0 with y = 1 costs 100")


def test_clamped_bce_stub(capsys):
    nb03.check_clamped_bce(stub)
    assert_not_implemented(capsys)


def test_a_crashing_function_is_reported_not_raised(capsys):
    nb03.check_clamped_bce(lambda p, y: p.view(7, -1))
    assert_fails_with_hint(capsys, "raised")
