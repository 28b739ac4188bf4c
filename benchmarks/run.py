"""Speed benchmark: tinygrad_cn against hand-written NumPy doing exactly the same math.

    python benchmarks/run.py                            # full run (under a minute on a quiet machine)
    python benchmarks/run.py --quick                    # smoke test (a few seconds)
    python benchmarks/run.py --write docs/benchmarks.md # also put the table into that file

What is measured (one process, one run; every variant and its hand-written baseline are
interleaved round by round, so that machine noise hits both):

1. NNDL's scalar example f(x; w, b) = σ(wx + b) = 1/(exp(−(wx + b)) + 1), built from elementary ops
   as the textbook does (h1 = w·x, h2 = h1 + b, h3 = −h2, h4 = exp(h3), h5 = h4 + 1, h6 = 1/h5),
   forward + backward, in µs per call: the eager engine (``backward()``), and ``tg.jit`` of the
   same function (its program called with NumPy arrays, ``.numpy``, and called with Tensors);
   baselines: the same forward and backward written by hand on Python floats (math.exp) and on
   NumPy 0-d arrays.
2. RHW's mirror-symmetry net (6-2-1 logistic, all 64 patterns in one batch, E summed, eq. 7 with
   ε = 0.1, α = 0.9), 1425 sweeps, in ms per run: the eager engine with ``optim.SGD``, and the
   ``tg.jit`` program of E (gradients with respect to the weights it closes over) with the update
   in place; baseline: RHW's backward pass by hand in NumPy with the same update.
3. One training step of a 784-256-256-10 ReLU MLP on a fixed random batch of 128 (forward, softmax
   cross-entropy from logits via a stable log_softmax, mean over the batch, backward, plain SGD
   on W and b in place, grads cleared), in float32 and float64, in ms per step: eager and
   ``tg.jit``; baseline: the same step written by hand in NumPy with the same layout
   (z = X @ W.T + b, W of shape (n_out, n_in), NNDL eq. 5.26).
4. A chain h ← h·c of 100 000 ops from a leaf, forward + backward, µs per op, against 100 chains of
   1 000 ops: the cost per op as the graph grows.

Before any timing, every variant is checked to compute the same numbers: the scalar values and
gradients (0.5, 0.25, 0.25); the MLP loss, six gradients and three SGD steps against the hand
step, and the compiled gradients against the eager ones to rounding; the RHW weights after the
sweeps (compiled = eager to 1e-12, hand to 1e-9); the chain's gradient cⁿ.

The result is a Markdown table on stdout. With ``--write FILE`` the table (and the machine line)
replaces the text between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` in FILE (or is
appended, with the markers, if FILE has none); nothing else is ever written.
"""
import argparse
import datetime
import gc
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


def sigma_textbook(w, x, b):
    """The textbook's graph of σ(wx + b) from elementary ops (NNDL fig. 5.8)."""
    return 1 / ((-(w * x + b)).exp() + 1)


def make_scalar_compiled(tensors=False):
    """tg.jit of the same function: the program traced once, run as NumPy lines; ``tensors``:
    called with Tensors and returning Tensors, else the program's NumPy-in, NumPy-out entry."""
    g = tg.jit(sigma_textbook, wrt=(0, 2))
    w, x, b = np.array(W0), np.array(X0), np.array(B0)
    if tensors:
        w, x, b = tg.Tensor(w), tg.Tensor(x), tg.Tensor(b)

        def step():
            f, (gw, gb) = g(w, x, b)
            return f.data, gw.data, gb.data
        return step
    return lambda: g.numpy(w, x, b)


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

    def loss(self, X=None):
        W1, b1, W2, b2, W3, b3 = self.params
        a1 = ((self.X if X is None else X) @ W1.T + b1).relu()
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


class CompiledMLP(EngineMLP):
    """The engine's loss, compiled by tg.jit with respect to the parameters it closes over; the
    SGD update in place on the parameter arrays, as the hand step does."""

    def __init__(self, X, y, params, lr=LR):
        super().__init__(X, y, params, lr)
        self.program = tg.jit(self.loss, wrt=self.params)

    def grads(self):
        loss, *grads = self.program.numpy(self.X.data)
        return loss, grads

    def step(self):
        loss, grads = self.grads()
        lr = self.lr
        for p, g in zip(self.params, grads):
            p.data -= lr * g
        return loss


# ---- 3. RHW's mirror-symmetry net ---------------------------------------------------------------
RHW_SWEEPS, RHW_EPS, RHW_ALPHA = 1425, 0.1, 0.9   # RHW fig. 1: 1,425 sweeps, ε = 0.1, α = 0.9


def rhw_data(seed=0):
    """The 64 patterns and targets, and a 6-2-1 start drawn from U(−0.3, 0.3) (W1, b1, W2, b2)."""
    X, d = tg.datasets.mirror_symmetry()
    rng = np.random.default_rng(seed)
    return X, d, [rng.uniform(-0.3, 0.3, shape) for shape in ((2, 6), (2,), (1, 2), (1,))]


def rhw_error(X, d, W1, b1, W2, b2):
    """RHW eq. 3, E = ½ Σ_c Σ_j (y − d)², of the logistic 6-2-1 net (eqs. 1, 2)."""
    h = tg.functional.logistic(tg.functional.linear(X, W1, b1))
    y = tg.functional.logistic(tg.functional.linear(h, W2, b2))
    return tg.functional.squared_error(y, d, reduction="sum")


def rhw_update(w, g, delta):
    """RHW eq. 7 in place: Δw ← −ε ∂E/∂w + α Δw, w ← w + Δw."""
    delta *= RHW_ALPHA
    delta -= RHW_EPS * g
    w += delta


def rhw_eager(X, d, params, sweeps):
    """The engine as a student uses it: backward(), then optim.SGD with momentum (eq. 7)."""
    ps = [tg.Tensor(p.copy(), requires_grad=True) for p in params]
    X = tg.Tensor(X)
    opt = tg.optim.SGD(ps, lr=RHW_EPS, momentum=RHW_ALPHA)
    for _ in range(sweeps):
        opt.zero_grad()
        rhw_error(X, d, *ps).backward()
        opt.step()
    return [p.data for p in ps]


def rhw_compiled(X, d, params, sweeps):
    """The same error compiled by tg.jit (gradients with respect to the closed-over weights),
    updated in place by eq. 7 as the hand loop does."""
    ps = [tg.Tensor(p.copy(), requires_grad=True) for p in params]
    program = tg.jit(lambda X: rhw_error(X, d, *ps), wrt=ps)
    deltas = [np.zeros_like(p) for p in params]
    for _ in range(sweeps):
        _, *grads = program.numpy(X)
        for p, g, delta in zip(ps, grads, deltas):
            rhw_update(p.data, g, delta)
    return [p.data for p in ps]


def rhw_hand(X, d, params, sweeps):
    """RHW's backward pass by hand in NumPy (eqs. 4–7), one sweep over all 64 cases per update."""
    W1, b1, W2, b2 = ws = [p.copy() for p in params]
    deltas = [np.zeros_like(p) for p in params]
    for _ in range(sweeps):
        h = 1 / (1 + np.exp(-(X @ W1.T + b1)))
        y = 1 / (1 + np.exp(-(h @ W2.T + b2)))
        dx = (y - d) * y * (1 - y)                  # ∂E/∂x_j of the output unit (eq. 4, then eq. 2)
        dxh = (dx @ W2) * h * (1 - h)               # back to the hidden units
        for w, g, delta in zip(ws, (dxh.T @ X, dxh.sum(0), dx.T @ h, dx.sum(0)), deltas):
            rhw_update(w, g, delta)
    return ws


def check_rhw(sweeps):
    """The three loops end at the same weights (the compiled one equal to the eager one)."""
    X, d, params = rhw_data()
    eager, compiled, hand = (run(X, d, params, sweeps) for run in (rhw_eager, rhw_compiled, rhw_hand))
    for a, b, c in zip(eager, compiled, hand):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12, err_msg="RHW: compiled differs from eager")
        np.testing.assert_allclose(c, a, rtol=0, atol=1e-9, err_msg="RHW: hand loop differs from eager")


def check_mlp(dtype):
    """The engine, its compiled step and the hand step give the same loss and gradients (and the
    same first SGD steps); the compiled gradients equal the engine's to rounding."""
    X, y, params = mlp_data(dtype)
    _, g_eng = EngineMLP(X, y, params).grads()
    _, g_jit = CompiledMLP(X, y, params).grads()
    exact = dict(rtol=1e-5, atol=1e-7) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
    for a, b in zip(g_eng, g_jit):
        np.testing.assert_allclose(b, a, **exact, err_msg=f"{np.dtype(dtype)}: compiled grad differs from eager")
    for cls in (EngineMLP, CompiledMLP):
        _check_against_hand(cls, dtype, X, y, params)


def _check_against_hand(cls, dtype, X, y, params):
    eng, ref = cls(X, y, params), NumpyMLP(X, y, params)
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
    runs = (make_scalar_engine(), make_scalar_python(), make_scalar_numpy(), make_scalar_compiled(),
            make_scalar_compiled(tensors=True))
    for vals in (run() for run in runs):
        np.testing.assert_allclose([float(v) for v in vals], [0.5, 0.25, 0.25], rtol=1e-15)


# ---- 4. a long chain: the cost per op as the graph grows ------------------------------------------
CHAIN_C = 1.0000001


def chain(n):
    """h ← h·c n times from a leaf x, then backward: ∂h/∂x = cⁿ (returns the gradient)."""
    x = tg.Tensor(0.5, requires_grad=True)
    c = tg.Tensor(CHAIN_C)
    h = x
    for _ in range(n):
        h = h * c
    h.backward()
    return x.grad.item()


def check_chain(n):
    np.testing.assert_allclose(chain(n), CHAIN_C ** n, rtol=1e-12, err_msg=f"{n}-op chain: wrong gradient")


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
            gc.collect()               # one variant's garbage is not collected on another's clock
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
    load = f"load average {os.getloadavg()[0]:.2f} (1 min) at the end" if hasattr(os, "getloadavg") else ""
    return (f"{datetime.date.today().isoformat()}; {cpu}, nproc={nproc}, {load}; "
            f"Python {platform.python_version()}, NumPy {np.__version__} (BLAS {lib}); "
            f"BLAS threads: {blas}; {env}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few repeats: a smoke test")
    ap.add_argument("--write", metavar="FILE", help="put the table into FILE (between the markers)")
    args = ap.parse_args(argv)

    if args.quick:
        s_inner, s_rep, m_inner, m_rep, warm, r_sweeps, r_rep = 200, 3, 2, 3, 2, 100, 2
        c_short, c_long, c_rep = 1000, 10_000, 2
    else:
        s_inner, s_rep, m_inner, m_rep, warm, r_sweeps, r_rep = 2000, 25, 5, 60, 10, RHW_SWEEPS, 7
        c_short, c_long, c_rep = 1000, 100_000, 5

    check_scalar()
    for dt in (np.float32, np.float64):
        check_mlp(dt)
    check_rhw(r_sweeps)
    check_chain(c_long)
    print("checked: every variant gives the same values and gradients (scalar example; MLP loss + 6 grads + "
          "3 SGD steps, float32 and float64, compiled = eager to rounding; RHW weights after the sweeps; "
          "the chain's gradient cⁿ)",
          file=sys.stderr, flush=True)

    rows = []   # (name, unit, variant times, baseline times, scale, target ratio or "")
    t_eng, t_jit, t_jit_t, t_py, t_np = interleaved(
        [make_scalar_engine(), make_scalar_compiled(), make_scalar_compiled(tensors=True), make_scalar_python(),
         make_scalar_numpy()], s_inner, s_rep, warmup=s_inner // 4)
    scalar = "σ(wx+b) scalar, fwd+bwd"
    rows += [(f"{scalar}, eager vs Python floats", "µs/call", t_eng, t_py, 1e6, ""),
             (f"{scalar}, eager vs NumPy 0-d arrays", "µs/call", t_eng, t_np, 1e6, "≤ 6× (issue 11)"),
             (f"{scalar}, tg.jit `.numpy` vs NumPy 0-d arrays", "µs/call", t_jit, t_np, 1e6, "≤ 1.5×"),
             (f"{scalar}, tg.jit with Tensors vs NumPy 0-d arrays", "µs/call", t_jit_t, t_np, 1e6, "")]
    X, d, params = rhw_data()
    runs = [lambda run=run: run(X, d, params, r_sweeps) for run in (rhw_eager, rhw_compiled, rhw_hand)]
    t_e, t_c, t_h = interleaved(runs, 1, r_rep, warmup=1)
    rhw = f"RHW mirror symmetry 6-2-1, 64 patterns, {r_sweeps} sweeps"
    rows += [(f"{rhw}, eager (SGD, momentum)", "ms/run", t_e, t_h, 1e3, "≤ 3× (issue 11)"),
             (f"{rhw}, tg.jit", "ms/run", t_c, t_h, 1e3, "≤ 1.3×")]
    for dt in (np.float32, np.float64):
        X, y, params = mlp_data(dt)
        eng, comp, ref = EngineMLP(X, y, params), CompiledMLP(X, y, params), NumpyMLP(X, y, params)
        t_e, t_c, t_r = interleaved([eng.step, comp.step, ref.step], m_inner, m_rep, warmup=warm)
        mlp = f"MLP 784-256-256-10, batch {BATCH}, {np.dtype(dt).name}, train step"
        rows += [(f"{mlp}, eager", "ms/step", t_e, t_r, 1e3, "≤ 1.1× (issue 11)"),
                 (f"{mlp}, tg.jit", "ms/step", t_c, t_r, 1e3, "≤ 1.05×")]

    many = c_long // c_short
    t_long, t_short = interleaved([lambda: chain(c_long), lambda: [chain(c_short) for _ in range(many)]], 1,
                                  c_rep, warmup=1)
    rows += [(f"chain of {c_long:,} ops h ← h·c, fwd+bwd, per op, vs {many} chains of {c_short:,} ops", "µs/op",
              [t / c_long for t in t_long], [t / c_long for t in t_short], 1e6, "≤ 1.5× (issue 11)")]

    lines = ["| benchmark | unit | tinygrad_cn: median (min) | baseline: median (min) | ratio | target |",
             "|---|---|---:|---:|---:|---|"]
    for name, unit, te, tb, scale, target in rows:
        fmt = "{:.2f}" if unit in ("µs/call", "µs/op") else "{:.3f}"
        em, en = summary(te, scale)
        bm, bn = summary(tb, scale)
        ratio = statistics.median(e / b for e, b in zip(te, tb))   # paired: same round, same noise
        lines.append(f"| {name} | {unit} | {fmt.format(em)} ({fmt.format(en)}) | "
                     f"{fmt.format(bm)} ({fmt.format(bn)}) | {ratio:.2f}× | {target} |")
    mode = "quick" if args.quick else "full"
    lines += ["", f"Machine: {machine_info()}.",
              f"Run: {mode}; scalar {s_rep} rounds × {s_inner} calls, RHW {r_rep} rounds × 1 run, MLP {m_rep} "
              f"rounds × {m_inner} steps, chain {c_rep} rounds; every variant and its baseline interleaved round by "
              "round; ratio = median over rounds of (variant time / baseline time in the same round)."]
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
