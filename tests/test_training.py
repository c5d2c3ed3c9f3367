"""helpers.training: the loop does what the notebook's loop does, seeded runs repeat, evaluation has no side effects."""
import math

import matplotlib
import pytest
import torch
from torch import nn

from helpers import training

matplotlib.use("Agg")


def blobs(n=60, seed=0, classes=3):
    """Well-separated Gaussian clouds in 2-D: an easy problem every loop must solve."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % classes
    centres = 4 * torch.randn(classes, 2, generator=g)
    x = centres[y] + 0.5 * torch.randn(n, 2, generator=g)
    return x, y


def by_hand(model, loss_fn, optimiser, x, y, x_val, y_val, epochs, batch_size, seed):
    """The loop as notebook 11 writes it in the open."""
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch_size, shuffle=True,
                                         generator=torch.Generator().manual_seed(seed))
    rows = []
    for _ in range(epochs):
        model.train()
        total = 0.0
        for xb, yb in loader:
            optimiser.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimiser.step()
            total += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            out = model(x_val)
            rows.append((total / len(y), loss_fn(out, y_val).item(), (out.argmax(1) == y_val).float().mean().item()))
    return rows


def test_fit_is_the_loop_written_by_hand():
    x, y = blobs()
    x_val, y_val = blobs(30, seed=0)
    runs = []
    for use_helper in (False, True):
        torch.manual_seed(1)
        model = nn.Linear(2, 3)
        optimiser = torch.optim.SGD(model.parameters(), lr=0.1)
        if use_helper:
            h = training.fit(model, nn.CrossEntropyLoss(), optimiser, (x, y), (x_val, y_val), epochs=4, batch_size=8,
                             seed=5, verbose=False)
            runs.append(list(zip(h.train_loss, h.val_loss, h.val_accuracy)))
        else:
            runs.append(by_hand(model, nn.CrossEntropyLoss(), optimiser, x, y, x_val, y_val, 4, 8, 5))
        runs[-1].append(tuple(model.weight.flatten().tolist()))
    assert runs[0] == runs[1]


def test_history_lengths_batch_losses_and_learning():
    x, y = blobs()
    torch.manual_seed(0)
    model = nn.Linear(2, 3)
    h = training.fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.2), (x, y), (x, y),
                     epochs=5, batch_size=16, verbose=False)
    assert len(h) == len(h.val_loss) == len(h.val_accuracy) == 5
    assert len(h.batch_loss) == 5 * math.ceil(60 / 16)
    batches = torch.tensor(h.batch_loss[:4])
    sizes = torch.tensor([16, 16, 16, 12.0])
    assert h.train_loss[0] == pytest.approx(((batches * sizes).sum() / 60).item())   # weighted by batch size
    assert h.val_loss[-1] < h.val_loss[0] and h.val_accuracy[-1] == 1.0
    assert not model.training


def test_binary_logits_use_their_sign():
    x, y = blobs(classes=2)
    y = y.float()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 1), nn.Flatten(0))
    h = training.fit(model, nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=0.5), (x, y), (x, y),
                     epochs=10, batch_size=10, verbose=False)
    assert h.val_accuracy[-1] == 1.0
    assert training.accuracy(torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1.0, 0.0, 0.0])) == pytest.approx(2 / 3)
    assert training.accuracy(torch.tensor([[2.0], [-1.0]]), torch.tensor([1.0, 1.0])) == 0.5


def test_seeded_runs_repeat_and_other_seeds_shuffle_differently():
    x, y = blobs()

    def run(seed):
        torch.manual_seed(0)
        model = nn.Linear(2, 3)
        return training.fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), (x, y),
                            (x, y), epochs=2, batch_size=8, seed=seed, verbose=False).batch_loss

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_loader_reshuffles_every_epoch_and_keeps_every_item():
    x, y = torch.arange(10.0)[:, None], torch.arange(10)
    loader = training.make_loader(x, y, batch_size=4, seed=0)
    first = torch.cat([yb for _, yb in loader])
    second = torch.cat([yb for _, yb in loader])
    assert sorted(first.tolist()) == sorted(second.tolist()) == list(range(10))
    assert first.tolist() != second.tolist()
    assert [len(yb) for _, yb in loader] == [4, 4, 2]


def test_evaluate_builds_no_graph_and_uses_eval_mode():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 3))
    x, y = blobs()
    first = training.evaluate(model, nn.CrossEntropyLoss(), x, y)
    assert training.evaluate(model, nn.CrossEntropyLoss(), x, y) == first   # dropout is off: deterministic
    assert not model.training
    assert all(p.grad is None for p in model.parameters())


def test_verbose_prints_one_line_per_epoch(capsys):
    x, y = blobs()
    torch.manual_seed(0)
    model = nn.Linear(2, 3)
    training.fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), (x, y), (x, y),
                 epochs=3, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("epoch   1   train loss ") and lines[2].endswith("%")


def test_plot_history_draws_train_val_and_accuracy_per_run():
    h = training.History([1.0, 0.5], [1.1, 0.7], [0.5, 0.8], [1.0, 1.0, 0.5, 0.5])
    ax_loss, ax_accuracy = training.plot_history({"a": h, "b": h}, title="t")
    assert len(ax_loss.lines) == 4 and len(ax_accuracy.lines) == 2
    assert ax_loss.get_title() == "t: loss" and ax_accuracy.get_ylabel() == "validation accuracy"
    assert [t.get_text() for t in ax_loss.get_legend().get_texts()] == ["a: train", "a: validation", "b: train",
                                                                        "b: validation"]
    assert list(ax_loss.lines[1].get_ydata()) == [1.1, 0.7]
