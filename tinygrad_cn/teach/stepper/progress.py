"""A sign of life while a long code cell runs without printing anything.

On a terminal, once a cell has been quiet for ``after`` seconds, a spinner line with the elapsed
time appears on the status stream (stderr) and is redrawn twice a second; it is wiped before the
cell prints anything, and when the cell ends. Elsewhere (a pipe, CI) a full line
``第 N 格仍在运行 cell N still running… 20 s`` is written after every ``every`` quiet seconds.
The cell's output is watched by standing a thin proxy in for ``sys.stdout`` and ``sys.stderr``."""
import sys
import threading
import time

__all__ = ["Progress"]

_SPIN = "|/-\\"


class _Watched:
    """Stands in for a text stream: notes each write, then passes it on."""

    def __init__(self, stream, before_write):
        self._stream = stream
        self._before_write = before_write

    def write(self, text):
        self._before_write()
        return self._stream.write(text)

    def writelines(self, lines):
        self._before_write()
        return self._stream.writelines(lines)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class Progress:
    """``with Progress(cell_number, status=sys.stderr): ...`` — see the module docstring.
    ``live`` (default: ``status.isatty()``) chooses the spinner over the log lines."""

    def __init__(self, number, status=None, live=None, after=2.0, every=10.0):
        self.number = number
        self.status = status if status is not None else sys.__stderr__
        if live is None:
            try:
                live = self.status.isatty()
            except (AttributeError, ValueError):
                live = False
        self.live, self.after, self.every = live, after, every
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = False                          # a spinner line is on the screen

    def _quiet_since(self):
        with self._lock:
            self._clear()
            self._last = time.monotonic()

    def _clear(self):
        if self._shown:
            self.status.write("\r\033[K")
            self.status.flush()
            self._shown = False

    def _tick(self, k):
        now = time.monotonic()
        quiet, elapsed = now - self._last, now - self._start
        if self.live and quiet >= self.after:
            self.status.write(f"\r{_SPIN[k % len(_SPIN)]} 第 {self.number} 格运行中 cell {self.number} "
                              f"running… {elapsed:.0f} s\033[K")
            self._shown = True
        elif not self.live and quiet >= self.every:
            self.status.write(f"第 {self.number} 格仍在运行 cell {self.number} still running… "
                              f"{elapsed:.0f} s\n")
            self._last = now
        else:
            return
        self.status.flush()

    def _loop(self):
        k = 0
        while not self._stop.wait(0.5 if self.live else min(1.0, self.every / 4)):
            with self._lock:
                self._tick(k)
            k += 1

    def __enter__(self):
        self._start = self._last = time.monotonic()
        self._saved = sys.stdout, sys.stderr
        sys.stdout = _Watched(sys.stdout, self._quiet_since)
        sys.stderr = _Watched(sys.stderr, self._quiet_since)
        self._thread = threading.Thread(target=self._loop, name="tinygrad_cn-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        sys.stdout, sys.stderr = self._saved
        with self._lock:
            self._clear()
        return False
