"""Grad mode is per thread: two threads train their own models at once, with no_grad() blocks, and
every step of both is right (issue: a process-wide flag flipped by backward() made 491–1307 of
1500 backward() calls fail)."""
import threading

import numpy as np

import tinygrad_cn as tg


def _train(seed, steps, out, errors):
    rng = np.random.default_rng(seed)
    w = tg.Tensor(rng.normal(size=3), requires_grad=True)
    x = rng.normal(size=(8, 3))
    y = x @ np.array([1.0, -2.0, 0.5])
    try:
        for _ in range(steps):
            loss = ((tg.Tensor(x) @ w - y) ** 2).mean()
            loss.backward()
            # the gradient by hand: 2/N Xᵀ(Xw − y)
            want = 2 / len(x) * x.T @ (x @ w.data - y)
            if not np.allclose(w.grad.data, want, rtol=1e-12, atol=1e-12):
                errors.append("wrong gradient")
            with tg.no_grad():
                if (w * 2).requires_grad:
                    errors.append("recorded under no_grad")
                w.data = w.data - 0.2 * w.grad.data
            w.grad = None
            if not tg.is_grad_enabled():
                errors.append("grad mode left off")
    except Exception as e:          # noqa: BLE001  (any failure in a thread is a failed test)
        errors.append(repr(e))
    out[seed] = w.data


def test_two_threads_train_at_once():
    out, errors = {}, []
    threads = [threading.Thread(target=_train, args=(s, 500, out, errors)) for s in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for w in out.values():      # both converged to the weights that made y
        np.testing.assert_allclose(w, [1.0, -2.0, 0.5], atol=1e-3)


def test_no_grad_in_one_thread_leaves_another_recording():
    inside, release = threading.Event(), threading.Event()

    def hold():
        with tg.no_grad():
            inside.set()
            release.wait(5)
    t = threading.Thread(target=hold)
    t.start()
    inside.wait(5)
    try:
        assert tg.is_grad_enabled()
        assert (tg.Tensor(1.0, requires_grad=True) * 2).requires_grad
    finally:
        release.set()
        t.join()
