"""The mini-batch training loop built in the open in notebooks/11_training_with_minibatch_sgd.ipynb, for reuse.

- ``make_loader(x, y, batch_size, seed)``: a shuffling ``DataLoader`` whose order depends only on ``seed``.
- ``train_one_epoch(model, loss_fn, optimiser, loader)``: zero_grad → forward → loss → backward → step per batch.
- ``evaluate(model, loss_fn, x, y)``: loss and accuracy in eval mode without building a graph.
- ``fit(...)``: epochs of both, a ``History`` of training loss, validation loss and validation accuracy per epoch.
- ``plot_history(histories)``: the loss curves and the accuracy curve side by side.

``loss_fn`` is any callable ``loss_fn(outputs, targets)`` that returns a mean over the batch, such as
``nn.CrossEntropyLoss()`` or ``nn.BCEWithLogitsLoss()``. Accuracy follows the outputs' shape: logits of shape (N, C)
are classified by their largest entry, one logit per item (shape (N,)) by its sign.

Taught in notebooks/11_training_with_minibatch_sgd.ipynb.
"""
from dataclasses import dataclass, field

import torch
from torch.utils.data import DataLoader, TensorDataset

from helpers.plotting import finish, new_axes


@dataclass
class History:
    """Per epoch: the mean training loss over its mini-batches, the validation loss and accuracy; and the loss of
    every mini-batch in order (``batch_loss``), which shows the noise of mini-batch gradients."""
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)

    def __len__(self):
        return len(self.train_loss)

    def line(self, epoch):
        """One epoch as a printed line; ``epoch`` counts from 1."""
        i = epoch - 1
        return (f"epoch {epoch:3d}   train loss {self.train_loss[i]:.4f}   val loss {self.val_loss[i]:.4f}   "
                f"val accuracy {self.val_accuracy[i]:.2%}")


def make_loader(x, y, batch_size, seed=0, shuffle=True):
    """Mini-batches of ``TensorDataset(x, y)``, reshuffled at every epoch in an order fixed by ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=generator)


def accuracy(outputs, y):
    """The fraction of items classified right: argmax of (N, C) logits, or the sign of (N,) logits for 0/1 labels."""
    if outputs.dim() == 2 and outputs.shape[1] > 1:
        predicted = outputs.argmax(dim=1)
    else:
        predicted = (outputs.reshape(y.shape) > 0).to(y.dtype)
    return (predicted == y).float().mean().item()


def train_one_epoch(model, loss_fn, optimiser, loader, batch_loss=None):
    """One pass over ``loader``; returns the mean of the batch losses, weighted by the batch sizes.

    Appends every batch's loss to ``batch_loss`` if it is a list.
    """
    model.train()
    total, count = 0.0, 0
    for x_batch, y_batch in loader:
        optimiser.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(y_batch)
        count += len(y_batch)
        if batch_loss is not None:
            batch_loss.append(loss.item())
    return total / count


def evaluate(model, loss_fn, x, y):
    """(loss, accuracy) of ``model`` on (x, y) in eval mode and under ``torch.no_grad()``."""
    model.eval()
    with torch.no_grad():
        outputs = model(x)
        return loss_fn(outputs, y).item(), accuracy(outputs, y)


def fit(model, loss_fn, optimiser, train, val, epochs, batch_size=32, seed=0, verbose=True):
    """Train for ``epochs`` on ``train`` = (x, y) in shuffled mini-batches; evaluate on ``val`` after each epoch.

    Returns a ``History``; with ``verbose``, prints one line per epoch. The model is left in eval mode.
    """
    x_train, y_train = train
    x_val, y_val = val
    loader = make_loader(x_train, y_train, batch_size, seed)
    history = History()
    for epoch in range(1, epochs + 1):
        history.train_loss.append(train_one_epoch(model, loss_fn, optimiser, loader, history.batch_loss))
        val_loss, val_accuracy = evaluate(model, loss_fn, x_val, y_val)
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_accuracy)
        if verbose:
            print(history.line(epoch))
    return history


def plot_history(histories, title="", axes=None):
    """Left: training (solid) and validation (dashed) loss per epoch; right: validation accuracy.

    ``histories`` is a ``History`` or a {label: History} dict, one colour per entry. Returns the two axes.
    """
    if isinstance(histories, History):
        histories = {"": histories}
    if axes is None:
        _, axes = new_axes(2, height=3.4)
    ax_loss, ax_accuracy = axes
    for k, (label, history) in enumerate(histories.items()):
        color = f"C{k}"
        epochs = range(1, len(history) + 1)
        prefix = f"{label}: " if label else ""
        ax_loss.plot(epochs, history.train_loss, color=color, label=f"{prefix}train")
        ax_loss.plot(epochs, history.val_loss, color=color, linestyle="--", label=f"{prefix}validation")
        ax_accuracy.plot(epochs, history.val_accuracy, color=color, label=label or "validation")
    finish(ax_loss, f"{title}: loss" if title else "loss", "epoch", "mean loss")
    finish(ax_accuracy, f"{title}: accuracy" if title else "accuracy", "epoch", "validation accuracy")
    return ax_loss, ax_accuracy
