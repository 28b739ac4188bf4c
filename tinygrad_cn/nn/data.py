"""Mini-batches (NNDL eq. 5.84; published §7.2.1) and saving / loading parameters.

Mini-batch SGD (eq. 5.84) takes, at step t, a set I_t of m samples and moves the parameters by the
average of their gradients; one pass over the whole training set is an epoch, and RHW's momentum
"t" counts such passes (full-batch) in their experiments. ``DataLoader`` yields the I_t: the
samples of each epoch in a fresh random order (when ``shuffle``), cut into batches of
``batch_size``; a seed makes the order reproducible.

Parameters are saved with ``np.savez`` under their dotted names (``"0.weight"``, ``"0.bias"``, ...)
and loaded with ``allow_pickle=False``: an archive holding a pickled Python object is refused,
because unpickling can run arbitrary code.
"""
import os

import numpy as np

from .init import as_rng
from ..core.tensor import Tensor

__all__ = ["DataLoader", "minibatches", "save_parameters", "load_parameters", "load_state"]


def _array(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def minibatches(*arrays, batch_size=32, shuffle=True, rng=None, drop_last=False):
    """One epoch: yields tuples of Tensors (one per array, rows ``I_t`` of each), or single Tensors
    when one array is given. Arrays keep their dtype (float32 stays float32, labels stay integers).
    ``rng``: None, a seed or a numpy Generator."""
    arrs = [_array(a) for a in arrays]
    if not arrs:
        raise ValueError("minibatches: give at least one array")
    n = len(arrs[0])
    for k, a in enumerate(arrs):
        if a.ndim == 0 or len(a) != n:
            raise ValueError(f"minibatches: every array needs the same number of samples (rows): "
                             f"array 0 has {n}, array {k} has shape {a.shape}")
    if batch_size is None:
        batch_size = n
    batch_size = int(batch_size)
    if batch_size < 1:
        raise ValueError(f"minibatches: batch_size must be ≥ 1, got {batch_size}")
    order = as_rng(rng).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        idx = order[start:start + batch_size]
        batch = tuple(Tensor._make(a[idx]) for a in arrs)
        yield batch if len(batch) > 1 else batch[0]


class DataLoader:
    """Iterate over mini-batches, one epoch per ``for`` loop; each epoch is reshuffled by the same
    generator, so a run with a given ``seed`` sees the same sequence of batches.

    ``DataLoader(X, y, batch_size=32, shuffle=True, seed=0)``; ``batch_size=None`` gives the whole
    set as one batch (full-batch gradient descent, as RHW); ``len(loader)`` is the number of
    batches per epoch."""

    def __init__(self, *arrays, batch_size=32, shuffle=True, seed=None, drop_last=False):
        self.arrays = [_array(a) for a in arrays]
        if not self.arrays:
            raise ValueError("DataLoader: give at least one array")
        self.n = len(self.arrays[0])
        self.batch_size = self.n if batch_size is None else int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = None if seed is None else as_rng(seed)   # None: init's generator, when iterated

    def __len__(self):
        full, rest = divmod(self.n, self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def __iter__(self):
        return minibatches(*self.arrays, batch_size=self.batch_size, shuffle=self.shuffle,
                           rng=as_rng(self.rng), drop_last=self.drop_last)


# ---- saving and loading -------------------------------------------------------------------------
def save_parameters(module, path):
    """Save ``module.state_dict()`` (parameters and buffers, by dotted name) to an ``.npz`` file;
    returns the path written (NumPy adds ``.npz`` when it is missing)."""
    state = module.state_dict() if hasattr(module, "state_dict") else dict(module)
    for k, v in state.items():
        if np.asarray(v).dtype.kind not in "biuf":
            raise TypeError(f"save_parameters: {k!r} has dtype {np.asarray(v).dtype}; only numbers "
                            "are saved")
    path = os.fspath(path)
    np.savez(path, **state)
    return path if path.endswith(".npz") else path + ".npz"


def load_state(path):
    """{name: array} from an ``.npz`` written by ``save_parameters``, loaded with
    ``allow_pickle=False``."""
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise ValueError(f"load_state: {path} holds a pickled object, which is refused "
                         f"(allow_pickle=False): {e}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"load_state: {path} is a single array, not an .npz archive of named "
                         "parameters; save with save_parameters")
    state = {}
    with archive:
        for k in archive.files:
            try:
                state[k] = archive[k]
            except ValueError as e:
                raise ValueError(f"load_state: {path}: entry {k!r} is a pickled object array, which "
                                 f"is refused (allow_pickle=False; unpickling can run code). Only "
                                 f"numeric arrays are loaded. ({e})") from None
    return state


def load_parameters(module, path, strict=True):
    """Load an ``.npz`` from ``save_parameters`` into ``module`` (see ``Module.load_state_dict``):
    a parameter missing from the file, an extra name in it (with ``strict``) or a wrong shape
    raises KeyError / ValueError naming it, before anything is changed. Returns the module."""
    return module.load_state_dict(load_state(path), strict=strict)
