"""Measuring for lessons: a median wall-clock time, and the memory a computation leaves held."""
import time
import tracemalloc

import numpy as np

__all__ = ["median_time", "memory_held"]


def median_time(fn, *args, repeats=5, **kwargs):
    """Median wall-clock seconds of ``fn(*args, **kwargs)`` over ``repeats`` calls (one slow call
    does not move it)."""
    if repeats < 1:
        raise ValueError(f"median_time: repeats must be at least 1, got {repeats}")
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args, **kwargs)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def memory_held(fn, *args, **kwargs):
    """(bytes still allocated after ``fn(*args, **kwargs)`` returns while its result is alive, peak bytes during the
    call), both relative to before the call, measured with ``tracemalloc``."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = fn(*args, **kwargs)
    held, peak = tracemalloc.get_traced_memory()
    del result
    if not was_tracing:
        tracemalloc.stop()
    return held - base, peak - base
