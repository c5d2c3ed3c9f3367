"""helpers.data: the bundled scikit-learn data sets as tensors with a fixed, stratified, leak-free split."""
import numpy as np
import pytest
import sklearn.datasets
import torch
from torch.utils.data import TensorDataset

from helpers import data

LOADERS = {"breast_cancer": (data.breast_cancer, sklearn.datasets.load_breast_cancer),
           "digits": (data.digits, sklearn.datasets.load_digits)}


@pytest.fixture(params=sorted(LOADERS), scope="module")
def loaded(request):
    ours, raw = LOADERS[request.param]
    return request.param, ours(), raw()


def test_shapes_dtypes_and_sizes(loaded):
    name, splits, raw = loaded
    n, d = raw.data.shape
    assert splits.n_features == d
    assert len(splits.train) + len(splits.val) + len(splits.test) == n
    assert (len(splits.train), len(splits.val), len(splits.test)) == {
        "breast_cancer": (341, 114, 114), "digits": (1077, 360, 360)}[name]
    label_dtype = torch.float32 if name == "breast_cancer" else torch.int64
    for part in (splits.train, splits.val, splits.test):
        x, y = part
        assert x.dtype == torch.float32 and x.shape == (len(y), d)
        assert y.dtype == label_dtype and y.shape == (len(y),)
        assert torch.isfinite(x).all()


def test_the_splits_partition_the_original_items(loaded):
    """Standardise the raw rows the same way: every split row is one of them, and carries its label."""
    _, splits, raw = loaded
    rows = torch.cat([part.x for part in (splits.train, splits.val, splits.test)]).double()
    labels = torch.cat([part.y for part in (splits.train, splits.val, splits.test)])
    original = (torch.as_tensor(raw.data, dtype=torch.float32) - splits.mean) / splits.std
    distances = torch.cdist(rows, original.double(), compute_mode="donot_use_mm_for_euclid_dist")
    match = distances.argmin(dim=1)
    assert torch.allclose(distances.min(dim=1).values, torch.zeros(len(rows), dtype=torch.float64), atol=1e-5)
    # digits contains a few exact duplicates; the multiset of matched labels must still agree
    assert torch.equal(labels.long(), torch.as_tensor(raw.target)[match])
    assert np.array_equal(np.sort(raw.target), np.sort(labels.long().numpy()))


def test_standardised_with_training_statistics_only(loaded):
    _, splits, raw = loaded
    x_train = splits.train.x
    assert x_train.mean(dim=0).abs().max() < 1e-5
    varying = splits.std != 1
    assert torch.allclose(x_train.std(dim=0)[varying], torch.ones(int(varying.sum())), atol=1e-4)
    # the validation split is *not* exactly centred: its own statistics were never used
    assert splits.val.x.mean(dim=0).abs().max() > 1e-3


def test_constant_features_are_left_at_zero_not_nan():
    splits = data.digits()
    constant = splits.std == 1
    assert constant.any()   # the corner pixels of the digits are always blank in the training split
    assert (splits.train.x[:, constant] == 0).all()


def test_stratified_class_proportions(loaded):
    _, splits, _ = loaded
    counts = [torch.bincount(part.y.long(), minlength=splits.n_classes) / len(part)
              for part in (splits.train, splits.val, splits.test)]
    assert torch.allclose(counts[0], counts[1], atol=0.02)
    assert torch.allclose(counts[0], counts[2], atol=0.02)


def test_same_seed_same_split_other_seed_other_split():
    a, b, c = data.digits(seed=0), data.digits(seed=0), data.digits(seed=1)
    assert torch.equal(a.train.x, b.train.x) and torch.equal(a.val.y, b.val.y)
    assert not torch.equal(a.train.x, c.train.x)


def test_calls_return_independent_tensors():
    a = data.breast_cancer()
    a.train.x.zero_()
    assert data.breast_cancer().train.x.abs().sum() > 0


def test_fractions_and_names():
    splits = data.breast_cancer(val_fraction=0.1, test_fraction=0.3)
    assert (len(splits.val), len(splits.test)) == (57, 171)
    assert splits.class_names == ("malignant", "benign") and splits.n_classes == 2
    assert len(splits.feature_names) == 30
    assert data.digits().class_names == tuple("0123456789")
    assert repr(data.digits()) == "Splits('digits': train 1077, val 360, test 360; D=64, C=10)"


@pytest.mark.parametrize("val, test", [(0.0, 0.2), (0.5, 0.5), (0.2, -0.1)])
def test_bad_fractions_are_refused(val, test):
    with pytest.raises(ValueError, match="val_fraction and test_fraction"):
        data.digits(val_fraction=val, test_fraction=test)


def test_feeds_a_tensor_dataset():
    dataset = TensorDataset(*data.digits().train)
    x, y = dataset[0]
    assert x.shape == (64,) and y.dtype == torch.int64
