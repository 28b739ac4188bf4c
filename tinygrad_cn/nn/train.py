"""A small training loop: ``fit`` runs algorithm 5.1 (NNDL; published algorithm 4.1) with
mini-batches (eq. 5.84) and any optimiser, prints a text progress bar, and returns the history of
the loss and the accuracy per epoch.

    model = nn.MLP([2, 4, 1], activation="tanh")
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    hist = fit(model, F.binary_cross_entropy_with_logits, opt, X, y, epochs=300, threshold=0.0)
    hist.loss[-1], hist.accuracy[-1]
"""
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..core.graph import no_grad
from ..core.tensor import Tensor
from .data import DataLoader, minibatches

__all__ = ["History", "accuracy", "evaluate", "fit", "progress_bar"]


def accuracy(output, target, threshold=0.5):
    """The fraction of samples classified correctly.

    - integer labels of shape (N,) and outputs of shape (N, C), C > 1: the class with the largest
      output (logit or probability) is the prediction; with C = 1, label 1 is predicted when the
      output is above ``threshold``;
    - a target row of shape (C,), C > 1, that is one-hot: the same, by argmax;
    - any other sample (binary targets of shape (N, 1) or (N,), or several on-units, as for the
      family trees' two-answer questions): each unit is on when its output is above ``threshold``
      (0.5 for probabilities, 0 for logits), and the sample is correct when every unit is.
    Each sample is judged by its own target row, never by the rest of the batch.
    """
    out = np.asarray(output.data if isinstance(output, Tensor) else output)
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if out.ndim == 0:
        out, t = out.reshape(1), t.reshape(1)
    if t.dtype.kind in "iu" and t.ndim == out.ndim - 1:
        if out.shape[-1] == 1:                      # one output unit, labels 0/1
            return float(np.mean((out[..., 0] > threshold) == (t > 0)))
        return float(np.mean(np.argmax(out, axis=-1) == t))
    if t.shape != out.shape:
        raise ValueError(f"accuracy: target shape {t.shape} does not fit output shape {out.shape}")
    right = (out > threshold) == (t > 0.5)
    if out.ndim < 2:
        return float(np.mean(right))
    right = np.all(right, axis=-1)
    if out.shape[-1] > 1:                           # one-hot rows: by argmax
        one_hot = np.all((t == 0) | (t == 1), axis=-1) & (t.sum(-1) == 1)
        right = np.where(one_hot, np.argmax(out, -1) == np.argmax(t, -1), right)
    return float(np.mean(np.all(right.reshape(len(right), -1), axis=1)))   # a sample: all its rows


@dataclass
class History:
    """Per epoch: ``loss`` (the mean of the mini-batch losses, weighted by batch size),
    ``accuracy`` (on the training batches, as they were predicted during the epoch), and, when
    validation data is given, ``val_loss`` and ``val_accuracy`` (in eval mode, after the epoch)."""
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def epochs(self):
        return len(self.loss)

    def __getitem__(self, key):
        return getattr(self, key)


def progress_bar(done, total, width=24):
    """``[#########---------------]`` for ``done`` of ``total``."""
    filled = round(width * done / total) if total else width
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def evaluate(model, loss_fn, X, y, batch_size=None, threshold=0.5):
    """(mean loss, accuracy) of ``model`` on (X, y) in eval mode, without recording a graph."""
    was = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    total, correct, n = 0.0, 0.0, 0
    try:
        with no_grad():
            for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=False):
                out = model(xb)
                m = len(xb)
                total += float(loss_fn(out, yb).item()) * m
                correct += accuracy(out, yb, threshold) * m
                n += m
    finally:
        if hasattr(model, "train"):
            model.train(was)
    return total / n, correct / n


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=True, seed=None,
        validation=None, threshold=0.5, verbose=True, file=None, log_every=None):
    """Train ``model`` for ``epochs`` passes over (X, y).

    Each step takes a mini-batch I_t (``batch_size``; None = the whole set, full-batch descent as
    in RHW), computes ``loss_fn(model(x_batch), y_batch)`` (which should average over the batch,
    eq. 5.84), back-propagates, and calls ``optimizer.step()``. ``seed`` fixes the shuffling.
    ``validation=(X_val, y_val)`` is evaluated after each epoch. ``threshold`` is passed to
    ``accuracy`` (use 0 when the model outputs logits for on/off targets).

    Progress goes to ``file`` (default stdout): on a terminal one line redrawn in place, otherwise
    a line every ``log_every`` epochs (default: about ten lines in all) and at the end. Returns a
    ``History``."""
    out_file = sys.stdout if file is None else file
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=seed)
    hist = History()
    inplace = verbose and hasattr(out_file, "isatty") and out_file.isatty()
    every = log_every or max(1, epochs // 10)
    start = time.perf_counter()
    if hasattr(model, "train"):
        model.train()
    for epoch in range(1, epochs + 1):
        total, correct, n = 0.0, 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            if loss.size != 1:
                raise ValueError(f"fit: loss_fn must return one number, got shape {loss.shape}; use "
                                 "reduction='mean' or 'sum'")
            if not np.isfinite(loss.item()):
                raise FloatingPointError(f"fit: the loss became {loss.item()} at epoch {epoch}; lower "
                                         "the learning rate, or use a loss from logits")
            loss.backward()
            optimizer.step()
            m = len(xb)
            total += loss.item() * m
            correct += accuracy(out, yb, threshold) * m
            n += m
        hist.loss.append(total / n)
        hist.accuracy.append(correct / n)
        line = (f"epoch {epoch:>{len(str(epochs))}}/{epochs} {progress_bar(epoch, epochs)} "
                f"loss {hist.loss[-1]:.4f}  acc {hist.accuracy[-1]:.3f}")
        if validation is not None:
            vl, va = evaluate(model, loss_fn, *validation, threshold=threshold)
            hist.val_loss.append(vl)
            hist.val_accuracy.append(va)
            line += f"  val_loss {vl:.4f}  val_acc {va:.3f}"
        if verbose:
            if inplace:
                print("\r" + line, end="\n" if epoch == epochs else "", file=out_file, flush=True)
            elif epoch % every == 0 or epoch == epochs or epoch == 1:
                print(line, file=out_file)
    hist.seconds = time.perf_counter() - start
    return hist
