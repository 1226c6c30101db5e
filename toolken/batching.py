"""A request queue in front of one loaded model: a worker thread answers the queued requests with
`generate_continuous`, so a request joins the running batch at its next decoding step and leaves it
when answered, and concurrent clients share the decoding steps instead of taking turns."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from .generation import Generation, GenerationConfig, Request, RowOptions, generate_continuous
from .head import ToolkenModel
from .prefill import RowCache


@dataclass
class Job:
    """One request: the full prompt, its per-row options, its sampling settings, and an optional
    callback receiving its completion ids after each decoded word (for streaming)."""

    prompt: str
    options: RowOptions
    temperature: float | None = None  # None or 0: greedy
    on_tokens: Callable[[list[int]], None] | None = None
    future: Future = field(default_factory=Future)

    @property
    def sampling(self) -> tuple[bool, float]:
        """Rows decode together only with the same sampling settings."""
        return (bool(self.temperature), self.temperature or 1.0)


class Batcher:
    """Answer submitted jobs in a worker thread, up to `max_batch` at a time in one running batch;
    a new job that finds the worker idle waits `window` seconds for others to start with it. Each
    job's future gets its `Generation` or the exception that stopped its batch."""

    def __init__(self, model: ToolkenModel, config: GenerationConfig, window: float = 0.005, max_batch: int = 8):
        self.model, self.window = model, window
        self.config = replace(config, batch_size=max_batch)
        self.sizes: list[int] = []  # rows in the batch each time one joined, for tests and benchmarks
        self._pending: deque[Job] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._tool_caches: dict[tuple[str, bool], RowCache | None] = {}  # tool prompt prefixes, kept across batches
        self._thread = threading.Thread(target=self._work, name="toolken-batcher", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> Future:
        """Queue `job`; its future resolves to its `Generation`."""
        with self._ready:
            self._pending.append(job)
            self._ready.notify()
        return job.future

    def close(self) -> None:
        """Stop the worker once the queued jobs are answered."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join()

    def _work(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
            time.sleep(self.window)  # let requests sent together start together
            self._run(self._pending[0].sampling)

    def _run(self, sampling: tuple[bool, float]) -> None:
        """Answer the queued jobs with these sampling settings until none is left or running."""
        do_sample, temperature = sampling
        seed = time.monotonic_ns() % 2**31 if do_sample else self.config.seed  # samples differ between runs
        cfg = replace(self.config, do_sample=do_sample, temperature=temperature, seed=seed)
        feed = _Feed(self, sampling)
        try:
            generate_continuous(self.model, feed, cfg, self._tool_caches)
        except Exception as e:  # noqa: BLE001 - reported to every request of the batch, never kills the worker
            for job in feed.running:
                job.future.set_exception(e)


class _Feed:
    """The batcher's queue as `generate_continuous` takes from it: jobs with one sampling setting."""

    def __init__(self, batcher: Batcher, sampling: tuple[bool, float]) -> None:
        self.batcher, self.sampling = batcher, sampling
        self.running: list[Job] = []

    def waiting(self) -> bool:
        """Whether a job with this sampling setting is queued."""
        with self.batcher._ready:
            return any(j.sampling == self.sampling for j in self.batcher._pending)

    def take(self, n: int) -> list[Request]:
        """Up to `n` queued jobs, as requests that resolve their futures when answered."""
        with self.batcher._ready:
            jobs = [j for j in self.batcher._pending if j.sampling == self.sampling][:n]
            for j in jobs:
                self.batcher._pending.remove(j)
        self.running += jobs
        if jobs:
            self.batcher.sizes.append(len(self.running))
        return [Request(j.prompt, j.options, j.on_tokens, self._done(j)) for j in jobs]

    def _done(self, job: Job) -> Callable[[Generation], None]:
        def done(g: Generation) -> None:
            self.running.remove(job)
            job.future.set_result(g)

        return done
