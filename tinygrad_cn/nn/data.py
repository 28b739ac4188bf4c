"""Mini-batches (NNDL eq. 5.84; published §7.2.1) and saving / loading parameters.

Mini-batch SGD (eq. 5.84) takes, at step t, a set I_t of m samples and moves the parameters by the
average of their gradients; one pass over the whole training set is an epoch, and RHW's momentum
"t" counts such passes (full-batch) in their experiments. ``DataLoader`` yields the I_t: the
samples of each epoch in a fresh random order (when ``shuffle``), cut into batches of
``batch_size``; a seed makes the order reproducible.

Parameters are saved with ``np.savez`` under their dotted names (``"0.weight"``, ``"0.bias"``, ...)
and loaded with ``allow_pickle=False``: an archive holding a pickled Python object is refused,
because unpickling can run arbitrary code. ``'w'`` and ``'w.npz'`` name the same file on save and
load; NaN or inf weights are refused both ways unless ``allow_nonfinite=True``; every error names
the file, and a load either changes every array it loads or nothing.
"""
import os
import zipfile
import zlib

import numpy as np

from ..core.tensor import Tensor
from .init import as_rng

__all__ = ["DataLoader", "load_parameters", "load_state", "minibatches", "save_parameters"]


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
        batch = tuple(Tensor.wrap(a[idx]) for a in arrs)          # a[idx] is a fresh copy
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
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # an .npz is a zip archive (an empty one starts PK\5\6)
_NPY_MAGIC = b"\x93NUMPY"


def _npz_name(path):
    """The file ``save_parameters(module, path)`` writes: ``path`` with ``.npz`` added if missing."""
    path = os.fspath(path)
    return path if path.endswith(".npz") else path + ".npz"


def _check_finite(state, path, allow_nonfinite, who):
    if allow_nonfinite:
        return
    bad = {k: int(np.size(v) - np.count_nonzero(np.isfinite(v))) for k, v in state.items()
           if np.asarray(v).dtype.kind == "f" and not np.all(np.isfinite(v))}
    if bad:
        raise ValueError(f"{who}: {path}: non-finite weights (NaN or inf) in "
                         f"{', '.join(f'{k!r} ({n} values)' for k, n in bad.items())}; a diverged run? "
                         "Pass allow_nonfinite=True to accept them")


def save_parameters(module, path, allow_nonfinite=False):
    """Save ``module.state_dict()`` (parameters and buffers, by dotted name; or a dict of arrays) to
    ``path`` with ``.npz`` added if missing, and return the path written. The file is written whole
    or not at all (a temporary file renamed into place). NaN or inf values raise ValueError unless
    ``allow_nonfinite``."""
    target = _npz_name(path)
    state = module.state_dict() if hasattr(module, "state_dict") else dict(module)
    for k, v in state.items():
        if np.asarray(v).dtype.kind not in "biuf":
            raise TypeError(f"save_parameters: {target}: {k!r} has dtype {np.asarray(v).dtype}; only "
                            "numbers are saved")
    _check_finite(state, target, allow_nonfinite, "save_parameters")
    partial = target + ".partial"
    try:
        with open(partial, "wb") as f:
            np.savez(f, **state)
        os.replace(partial, target)
    except OSError as e:
        raise type(e)(f"save_parameters: cannot write {target}: {e.strerror or e}") from None
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return target


def _resolve(path):
    """The file to load for ``path``: ``path`` itself if it ends in .npz, else ``path + '.npz'`` when
    that exists (what ``save_parameters(m, path)`` wrote), else ``path``."""
    path = os.fspath(path)
    if path.endswith(".npz") or not os.path.exists(path + ".npz"):
        if not os.path.exists(path):
            also = "" if path.endswith(".npz") else f" (nor {path}.npz)"
            raise FileNotFoundError(f"load_state: no file {path}{also}")
        return path
    return path + ".npz"


def _damaged(path, why):
    return ValueError(f"load_state: {path} is {why}; it cannot be read as an .npz archive of "
                      "parameters (was the save interrupted? save again with save_parameters)")


def load_state(path, allow_nonfinite=False):
    """{name: array} from an ``.npz`` written by ``save_parameters`` (``'w'`` finds ``'w.npz'``),
    loaded with ``allow_pickle=False``. An empty, truncated or foreign file, a pickled object, or
    NaN / inf values (unless ``allow_nonfinite``) raise ValueError naming the file."""
    path = _resolve(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        raise _damaged(path, "empty (0 bytes)")
    if head.startswith(_NPY_MAGIC):
        raise ValueError(f"load_state: {path} is a single array (.npy), not an .npz archive of named "
                         "parameters; save with save_parameters")
    if not head.startswith(_ZIP_MAGIC):
        raise _damaged(path, f"not a zip archive (it starts with {head!r}; a pickle is never loaded)")
    state = {}
    try:
        with np.load(path, allow_pickle=False) as archive:
            for k in archive.files:
                state[k] = archive[k]
    except ValueError as e:
        if "allow_pickle" not in str(e):
            raise _damaged(path, f"damaged ({e})") from None
        raise ValueError(f"load_state: {path}: an entry is a pickled object array, which is refused "
                         "(allow_pickle=False; unpickling can run code). Only numeric arrays are "
                         "loaded.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise _damaged(path, f"truncated or damaged ({type(e).__name__}: {e})") from None
    _check_finite(state, path, allow_nonfinite, "load_state")
    return state


def load_parameters(module, path, strict=True, allow_nonfinite=False):
    """Load an ``.npz`` from ``save_parameters`` into ``module`` (see ``Module.load_state_dict``)
    and return its ``LoadResult(missing_keys, unexpected_keys)``. With ``strict`` a name missing
    from the file or an extra one raises KeyError; ``strict=False`` loads the names both have and
    reports the rest in the result. A wrong shape raises ValueError. Every error names the file,
    and nothing is changed unless everything loads."""
    state = load_state(path, allow_nonfinite)
    try:
        return module.load_state_dict(state, strict=strict)
    except (KeyError, ValueError, TypeError) as e:
        raise type(e)(f"load_parameters: {_resolve(path)}: {e.args[0]}") from None
