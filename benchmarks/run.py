"""Speed benchmark: tinygrad_cn against hand-written NumPy doing exactly the same math.

    python benchmarks/run.py                            # full run (well under 2 minutes)
    python benchmarks/run.py --quick                    # smoke test (a few seconds)
    python benchmarks/run.py --write docs/benchmarks.md # also put the table into that file

What is measured (one process, one run; the engine and its baseline are interleaved so that
machine noise hits both):

1. NNDL's scalar example f(x; w, b) = σ(wx + b) = 1/(exp(−(wx + b)) + 1), built from elementary ops
   as the textbook does (h1 = w·x, h2 = h1 + b, h3 = −h2, h4 = exp(h3), h5 = h4 + 1, h6 = 1/h5),
   forward + backward, in µs per call; baselines: the same forward and backward written by hand on
   Python floats (math.exp) and on NumPy 0-d arrays.
2. One training step of a 784-256-256-10 ReLU MLP on a fixed random batch of 128 (forward, softmax
   cross-entropy from logits via a stable log_softmax, mean over the batch, backward, plain SGD
   on W and b in place, grads cleared), in float32 and float64, in ms per step; baseline: the
   same step written by hand in NumPy with the same layout (z = X @ W.T + b, W of shape
   (n_out, n_in), NNDL eq. 5.26). Both are checked once to give the same loss and gradients.

The result is a Markdown table on stdout. With ``--write FILE`` the table (and the machine line)
replaces the text between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in FILE (or is
appended, with the markers, if FILE has none); nothing else is ever written.
"""
import argparse
import datetime
import math
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tinygrad_cn as tg  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


# ---- 1. the textbook's scalar example ------------------------------------------------------------
X0, W0, B0 = 1.0, 0.0, 0.0   # NNDL's worked example: f = 0.5, ∂f/∂w = ∂f/∂b = 0.25


def make_scalar_engine():
    x = tg.Tensor(X0)
    w = tg.Tensor(W0, requires_grad=True)
    b = tg.Tensor(B0, requires_grad=True)

    def step():
        w.grad = None
        b.grad = None
        h1 = w * x
        h2 = h1 + b
        h3 = -h2
        h4 = h3.exp()
        h5 = h4 + 1
        h6 = 1 / h5
        h6.backward()
        return h6.data, w.grad.data, b.grad.data
    return step


def make_scalar_python():
    x, w, b = X0, W0, B0
    exp = math.exp

    def step():
        h1 = w * x
        h2 = h1 + b
        h3 = -h2
        h4 = exp(h3)
        h5 = h4 + 1.0
        h6 = 1.0 / h5
        # reverse sweep by hand, NNDL eqs. 5.75-5.79: ∂h6/∂h5 = −1/h5² = −h6/h5, ...
        g5 = -h6 / h5
        g3 = g5 * h4           # ∂h4/∂h3 = exp(h3) = h4 (h5 = h4 + 1 passes g5 through)
        g2 = -g3               # ∂h3/∂h2 = −1
        gb = g2                # h2 = h1 + b
        gw = g2 * x            # h1 = w·x
        return h6, gw, gb
    return step


def make_scalar_numpy():
    x, w, b = np.float64(X0), np.array(W0), np.array(B0)   # 0-d arrays, as the engine holds
    one = np.array(1.0)

    def step():
        h1 = np.multiply(w, x)
        h2 = np.add(h1, b)
        h3 = np.negative(h2)
        h4 = np.exp(h3)
        h5 = np.add(h4, one)
        h6 = np.divide(one, h5)
        g5 = np.negative(h6) / h5
        g3 = g5 * h4
        g2 = np.negative(g3)
        return h6, g2 * x, g2
    return step


# ---- 2. the MLP training step --------------------------------------------------------------------
SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01


def mlp_data(dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], BATCH)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        W = (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(dtype)  # He init
        b = (rng.standard_normal(n_out) * 0.1).astype(dtype)
        params += [W, b]
    return X, y, params


class EngineMLP:
    """The step written with tinygrad_cn, as a student would."""

    def __init__(self, X, y, params, lr=LR):
        self.X = tg.Tensor(X)
        self.y = y
        self.rows = np.arange(len(y))
        self.params = [tg.Tensor(p.copy(), requires_grad=True) for p in params]
        self.lr = lr

    def loss(self):
        W1, b1, W2, b2, W3, b3 = self.params
        a1 = (self.X @ W1.T + b1).relu()
        a2 = (a1 @ W2.T + b2).relu()
        logits = a2 @ W3.T + b3
        logp = logits.log_softmax(axis=1)
        return -logp[self.rows, self.y].mean()

    def grads(self):
        loss = self.loss()
        loss.backward()
        return loss.data, [p.grad.data for p in self.params]

    def step(self):
        loss = self.loss()
        loss.backward()
        lr = self.lr
        for p in self.params:
            p.data -= lr * p.grad.data
            p.grad = None
        return loss.data


class NumpyMLP:
    """The same step by hand: forward, stable log_softmax, cross-entropy, backward, SGD."""

    def __init__(self, X, y, params, lr=LR):
        self.X, self.y = X, y
        self.rows = np.arange(len(y))
        self.params = [p.copy() for p in params]
        self.lr = lr

    def grads(self):
        X, y, rows = self.X, self.y, self.rows
        W1, b1, W2, b2, W3, b3 = self.params
        n = X.shape[0]
        z1 = X @ W1.T + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ W2.T + b2
        a2 = np.maximum(z2, 0)
        z3 = a2 @ W3.T + b3
        m = z3.max(axis=1, keepdims=True)
        logp = z3 - (np.log(np.exp(z3 - m).sum(axis=1, keepdims=True)) + m)
        loss = -logp[rows, y].mean()
        # backward: ∂loss/∂z3 = (softmax − onehot)/n (NNDL eq. 5.35 averaged over the batch)
        d3 = np.exp(logp)
        d3[rows, y] -= 1
        d3 /= n
        dW3, db3 = d3.T @ a2, d3.sum(axis=0)
        d2 = (d3 @ W3) * (z2 > 0)
        dW2, db2 = d2.T @ a1, d2.sum(axis=0)
        d1 = (d2 @ W2) * (z1 > 0)
        dW1, db1 = d1.T @ X, d1.sum(axis=0)
        return loss, [dW1, db1, dW2, db2, dW3, db3]

    def step(self):
        loss, grads = self.grads()
        lr = self.lr
        for p, g in zip(self.params, grads):
            p -= lr * g
        return loss


def check_mlp(dtype):
    """Both implementations give the same loss and gradients (and the same first SGD steps)."""
    X, y, params = mlp_data(dtype)
    eng, ref = EngineMLP(X, y, params), NumpyMLP(X, y, params)
    tol = dict(rtol=1e-4, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    le, ge = eng.grads()
    lr_, gr = ref.grads()
    assert le.dtype == dtype and all(g.dtype == dtype for g in ge), "engine changed the dtype"
    assert lr_.dtype == dtype and all(g.dtype == dtype for g in gr), "baseline changed the dtype"
    np.testing.assert_allclose(le, lr_, **tol, err_msg=f"{np.dtype(dtype)} loss differs")
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    for name, a, b in zip(names, ge, gr):
        assert a.shape == b.shape, f"{name}: grad shapes {a.shape} vs {b.shape}"
        np.testing.assert_allclose(a, b, **tol, err_msg=f"{np.dtype(dtype)} grad of {name} differs")
    for p in eng.params:
        p.grad = None
    for _ in range(3):
        np.testing.assert_allclose(eng.step(), ref.step(), **tol,
                                   err_msg=f"{np.dtype(dtype)} loss differs after SGD steps")


def check_scalar():
    e, p, n = make_scalar_engine()(), make_scalar_python()(), make_scalar_numpy()()
    for vals in (e, p, n):
        np.testing.assert_allclose([float(v) for v in vals], [0.5, 0.25, 0.25], rtol=1e-15)


# ---- timing ----------------------------------------------------------------------------------------
def interleaved(fns, inner, repeats, warmup):
    """Per-call seconds of each fn in ``fns``: ``repeats`` rounds, each timing ``inner`` calls of
    every fn back to back (the order rotates each round). Returns a list of per-round times."""
    for f in fns:
        for _ in range(warmup):
            f()
    times = [[] for _ in fns]
    clock = time.perf_counter
    k = len(fns)
    for r in range(repeats):
        for j in range(k):
            i = (j + r) % k
            f = fns[i]
            t0 = clock()
            for _ in range(inner):
                f()
            times[i].append((clock() - t0) / inner)
    return times


def summary(ts, scale):
    return statistics.median(ts) * scale, min(ts) * scale


def machine_info():
    try:
        import threadpoolctl
        info = threadpoolctl.threadpool_info()
        blas = "; ".join(f"{d.get('internal_api')} {d.get('version')}: {d.get('num_threads')} threads"
                         for d in info if d.get("user_api") == "blas") or "none found"
    except ImportError:
        blas = "unknown (threadpoolctl not installed)"
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lib = f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:
        lib = "unknown"
    env = ", ".join(f"{k}={os.environ[k]}" for k in
                    ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE")
                    if k in os.environ) or "no thread env vars set"
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = "load average %.2f (1 min) at the end" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return (f"{datetime.date.today().isoformat()}; {cpu}, nproc={nproc}, {load}; "
            f"Python {platform.python_version()}, NumPy {np.__version__} (BLAS {lib}); "
            f"BLAS threads: {blas}; {env}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repeats: a smoke test")
    ap.add_argument("--write", metavar="FILE", help="put the table into FILE (between the markers)")
    args = ap.parse_args(argv)

    if args.quick:
        s_inner, s_rep, m_inner, m_rep, warm = 200, 3, 2, 3, 2
    else:
        s_inner, s_rep, m_inner, m_rep, warm = 2000, 25, 5, 60, 10

    check_scalar()
    for dt in (np.float32, np.float64):
        check_mlp(dt)
    print("checked: engine and NumPy baselines give the same values and gradients "
          "(scalar example; MLP loss + 6 grads + 3 SGD steps, float32 and float64)", file=sys.stderr,
          flush=True)

    rows = []
    t_eng, t_py, t_np = interleaved([make_scalar_engine(), make_scalar_python(), make_scalar_numpy()],
                                    s_inner, s_rep, warmup=s_inner // 4)
    for label, ts in (("Python floats", t_py), ("NumPy 0-d arrays", t_np)):
        rows.append((f"σ(wx+b) scalar, fwd+bwd, vs {label}", "µs/call", t_eng, ts, 1e6))
    for dt in (np.float32, np.float64):
        X, y, params = mlp_data(dt)
        eng, ref = EngineMLP(X, y, params), NumpyMLP(X, y, params)
        t_e, t_r = interleaved([eng.step, ref.step], m_inner, m_rep, warmup=warm)
        rows.append((f"MLP 784-256-256-10, batch {BATCH}, {np.dtype(dt).name}, train step", "ms/step",
                     t_e, t_r, 1e3))

    lines = ["| benchmark | unit | tinygrad_cn: median (min) | NumPy by hand: median (min) | ratio |",
             "|---|---|---:|---:|---:|"]
    for name, unit, te, tb, scale in rows:
        fmt = "{:.2f}" if unit == "µs/call" else "{:.3f}"
        em, en = summary(te, scale)
        bm, bn = summary(tb, scale)
        ratio = statistics.median(e / b for e, b in zip(te, tb))   # paired: same round, same noise
        lines.append(f"| {name} | {unit} | {fmt.format(em)} ({fmt.format(en)}) | "
                     f"{fmt.format(bm)} ({fmt.format(bn)}) | {ratio:.2f}× |")
    mode = "quick" if args.quick else "full"
    lines += ["", f"Machine: {machine_info()}.",
              f"Run: {mode}; scalar {s_rep} rounds × {s_inner} calls, MLP {m_rep} rounds × {m_inner} "
              "steps; engine and baseline interleaved round by round; ratio = median over rounds of "
              "(engine time / baseline time in the same round); MLP target ratio ≤ 1.3×."]
    table = "\n".join(lines)
    print(table)

    if args.write:
        block = f"{START}\n{table}\n{END}"
        try:
            with open(args.write, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = ""
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + block + rest.split(END, 1)[1]
        else:                                  # no markers: append, never overwrite
            text = (text.rstrip("\n") + "\n\n" if text else "") + block + "\n"
        with open(args.write, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"\nwrote the table into {args.write}", file=sys.stderr)


if __name__ == "__main__":
    main()
