"""Self-checks for the exercises of notebooks/13_calibration_imbalance_and_noisy_labels.ipynb.

Each ``check_*`` runs the reader's function on a few cases, prints one ✓/✗ line per case and never raises
(see ``helpers.selfcheck``).
"""
import torch

from helpers.selfcheck import Case, run_checks

__all__ = ["check_adjust_to_new_prior", "check_equal_mass_ece"]


def _adjust_reference(q, train_rate, deploy_rate):
    odds = q / (1 - q) * (deploy_rate / (1 - deploy_rate)) / (train_rate / (1 - train_rate))
    return odds / (1 + odds)


def check_adjust_to_new_prior(your_fn):
    """Exercise 1: ``your_fn(q, train_rate, deploy_rate)`` turns probabilities calibrated at the training data's
    positive rate into probabilities calibrated at the deployment rate (Bayes' rule: the odds scale)."""
    generator = torch.Generator().manual_seed(131)
    q = torch.rand(12, generator=generator, dtype=torch.float64) * 0.98 + 0.01
    cases = [
        Case("trained balanced (50 %), deployed at 10 %: q = 0.8 becomes 4/13",
             (torch.tensor([0.8], dtype=torch.float64), 0.5, 0.1),
             expected=torch.tensor([4 / 13], dtype=torch.float64)),
        Case("equal rates change nothing", (q, 0.2, 0.2), expected=q),
        Case("12 probabilities, trained at 50 %, deployed at 10 %", (q, 0.5, 0.1), reference=_adjust_reference),
        Case("12 probabilities, trained at 3 %, deployed at 40 %", (q, 0.03, 0.4), reference=_adjust_reference),
        Case("q = 0 and q = 1 stay certain", (torch.tensor([0.0, 1.0], dtype=torch.float64), 0.5, 0.1),
             expected=torch.tensor([0.0, 1.0], dtype=torch.float64)),
    ]
    run_checks("adjust_to_new_prior(q, train_rate, deploy_rate)", your_fn, cases,
               hint="Bayes' rule in odds form: the posterior odds are the prior odds times the likelihood ratio, and "
                    "only the prior changes between training and deployment. Work with odds, not probabilities, and "
                    "make sure a certain prediction stays certain.")


def _equal_mass_ece_reference(confidence, correct, n_bins):
    order = confidence.argsort()
    total = confidence.new_zeros(())
    for chunk in torch.tensor_split(order, n_bins):
        if len(chunk):
            total = total + len(chunk) * (correct[chunk].mean() - confidence[chunk].mean()).abs()
    return total / len(confidence)


def check_equal_mass_ece(your_fn):
    """Exercise 2: ``your_fn(confidence, correct, n_bins)`` is the ECE with equal-mass bins: the items sorted by
    confidence and cut into ``n_bins`` consecutive groups of (nearly) equal size by ``torch.tensor_split``."""
    generator = torch.Generator().manual_seed(132)
    confidence = torch.rand(200, generator=generator, dtype=torch.float64) * 0.5 + 0.5
    overconfident = (torch.rand(200, generator=generator, dtype=torch.float64) < confidence - 0.1).double()
    calibrated = (torch.rand(200, generator=generator, dtype=torch.float64) < confidence).double()
    cases = [
        Case("four items, two bins, by hand",
             (torch.tensor([0.9, 0.6, 0.8, 0.7], dtype=torch.float64), torch.tensor([1.0, 1.0, 0.0, 1.0],
                                                                                    dtype=torch.float64), 2),
             expected=torch.tensor(0.35, dtype=torch.float64)),
        Case("one bin: |accuracy − mean confidence|", (confidence, overconfident, 1),
             reference=_equal_mass_ece_reference),
        Case("200 overconfident items, 10 bins", (confidence, overconfident, 10), reference=_equal_mass_ece_reference),
        Case("200 calibrated items, 7 bins (unequal sizes)", (confidence, calibrated, 7),
             reference=_equal_mass_ece_reference),
    ]
    run_checks("equal_mass_ece(confidence, correct, n_bins)", your_fn, cases,
               hint="each bin is a run of consecutive items once they are sorted by confidence, not a range of "
                    "confidences; a bin's gap is |its accuracy − its mean confidence|, weighted by its share of the "
                    "items.")
