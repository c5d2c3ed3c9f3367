"""Small real data sets that ship inside scikit-learn, as float32 tensors with a fixed, seeded split.

Nothing is downloaded: both data sets are files inside the scikit-learn package.

- ``breast_cancer()``: 569 tumours, 30 measurements each, two classes (0 = malignant, 1 = benign); labels are float32
  0/1, ready for ``BCEWithLogitsLoss``.
- ``digits()``: 1797 handwritten digits as 8×8 = 64 grey levels, ten classes; labels are int64 class indices,
  ready for ``CrossEntropyLoss``.

Each returns a ``Splits``: ``train``, ``val`` and ``test`` (60 / 20 / 20 %, stratified, so every split has the same
class proportions), each a ``Split(x, y)`` that unpacks as ``x, y = data.train`` and feeds
``TensorDataset(*data.train)``. Features are standardised with the mean and standard deviation of the *training*
split only (stored as ``mean`` and ``std``), so nothing about the validation or test items leaks into training.

Taught in notebooks/11_training_with_minibatch_sgd.ipynb.

>>> data = digits()
>>> x, y = data.train
>>> x.shape, x.dtype, y.dtype, data.n_classes
(torch.Size([1077, 64]), torch.float32, torch.int64, 10)
"""
from dataclasses import dataclass

import numpy as np
import sklearn.datasets
import torch
from sklearn.model_selection import train_test_split


@dataclass(frozen=True, eq=False)
class Split:
    """Inputs ``x`` (N, D) float32 and labels ``y`` (N,) of one split; ``len()`` is N, and ``x, y = split``."""
    x: torch.Tensor
    y: torch.Tensor

    def __iter__(self):
        return iter((self.x, self.y))

    def __len__(self):
        return len(self.y)


@dataclass(frozen=True, eq=False)
class Splits:
    """A data set split three ways, with the training split's standardisation and the names of things."""
    name: str
    train: Split
    val: Split
    test: Split
    mean: torch.Tensor        # (D,) training-split mean, subtracted from every split
    std: torch.Tensor         # (D,) training-split standard deviation (1 where a feature is constant)
    feature_names: tuple
    class_names: tuple

    @property
    def n_features(self):
        return self.train.x.shape[1]

    @property
    def n_classes(self):
        return len(self.class_names)

    def __repr__(self):
        sizes = ", ".join(f"{part} {len(getattr(self, part))}" for part in ("train", "val", "test"))
        return f"Splits({self.name!r}: {sizes}; D={self.n_features}, C={self.n_classes})"


def split_and_standardise(x, y, *, name, feature_names, class_names, seed=0, val_fraction=0.2, test_fraction=0.2,
                          label_dtype=torch.int64):
    """Split numpy arrays ``x`` (N, D), ``y`` (N,) stratified by label, standardise on train; return ``Splits``."""
    if not (0 < val_fraction and 0 < test_fraction and val_fraction + test_fraction < 1):
        raise ValueError(f"val_fraction and test_fraction must be positive with a sum below 1, "
                         f"got {val_fraction} and {test_fraction}")
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=test_fraction, stratify=y, random_state=seed)
    train, val = train_test_split(rest, test_size=val_fraction / (1 - test_fraction), stratify=y[rest],
                                  random_state=seed)
    x = torch.as_tensor(x, dtype=torch.float32)
    y = torch.as_tensor(y).to(label_dtype)
    train, val, test = (torch.as_tensor(np.sort(part)) for part in (train, val, test))
    mean = x[train].mean(dim=0)
    std = x[train].std(dim=0)
    std = torch.where(std > 0, std, torch.ones_like(std))   # digits: some border pixels are always 0

    def part(rows):
        return Split((x[rows] - mean) / std, y[rows].clone())

    return Splits(name=name, train=part(train), val=part(val), test=part(test), mean=mean, std=std,
                  feature_names=tuple(feature_names), class_names=tuple(class_names))


def breast_cancer(seed=0, val_fraction=0.2, test_fraction=0.2):
    """Wisconsin breast cancer: (N, 30) float32 features, float32 labels 0 = malignant, 1 = benign."""
    bunch = sklearn.datasets.load_breast_cancer()
    return split_and_standardise(bunch.data, bunch.target, name="breast cancer", seed=seed,
                                 val_fraction=val_fraction, test_fraction=test_fraction,
                                 feature_names=bunch.feature_names, class_names=bunch.target_names,
                                 label_dtype=torch.float32)


def digits(seed=0, val_fraction=0.2, test_fraction=0.2):
    """8×8 handwritten digits: (N, 64) float32 features (grey levels 0–16 before standardising), int64 labels 0–9."""
    bunch = sklearn.datasets.load_digits()
    return split_and_standardise(bunch.data, bunch.target, name="digits", seed=seed,
                                 val_fraction=val_fraction, test_fraction=test_fraction,
                                 feature_names=bunch.feature_names, class_names=[str(c) for c in range(10)],
                                 label_dtype=torch.int64)
