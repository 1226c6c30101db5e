"""A request queue in front of one loaded model: requests arriving within a few milliseconds of each
other (and those that queued while a batch ran) are answered together by one batched `generate`
call, in a worker thread, so concurrent clients share the decoding steps instead of taking turns."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from .generation import Generation, GenerationConfig, RowOptions, generate
from .head import ToolkenModel


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
        """Rows batch together only with the same sampling settings."""
        return (bool(self.temperature), self.temperature or 1.0)


class Batcher:
    """Collect jobs for `window` seconds after the first one arrives (up to `max_batch`), then run
    them through `generate` as one batch; futures get each job's `Generation` or the exception."""

    def __init__(self, model: ToolkenModel, config: GenerationConfig, window: float = 0.005, max_batch: int = 8):
        self.model, self.config, self.window, self.max_batch = model, config, window, max_batch
        self.sizes: list[int] = []  # rows of each batch run, for tests and benchmarks
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="toolken-batcher", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> Future:
        """Queue `job`; its future resolves to its `Generation`."""
        self._queue.put(job)
        return job.future

    def close(self) -> None:
        """Stop the worker once the queued jobs are answered."""
        self._queue.put(None)
        self._thread.join()

    def _collect(self, first: Job) -> tuple[list[Job], bool]:
        """The jobs of the next batch, and whether `close` was called meanwhile."""
        jobs, deadline = [first], time.monotonic() + self.window
        while len(jobs) < self.max_batch:
            try:
                job = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            jobs.append(job)
        return jobs, False

    def _work(self) -> None:
        closing = False
        while not closing:
            first = self._queue.get()
            if first is None:
                return
            jobs, closing = self._collect(first)
            groups: dict[tuple[bool, float], list[Job]] = {}
            for job in jobs:
                groups.setdefault(job.sampling, []).append(job)
            for group in groups.values():
                self._run(group)

    def _run(self, jobs: list[Job]) -> None:
        """Answer `jobs` as one batch; a failure fails each of them, never the worker."""
        do_sample, temperature = jobs[0].sampling
        budget = max(j.options.max_new_tokens or self.config.max_new_tokens for j in jobs)
        cfg = replace(
            self.config, do_sample=do_sample, temperature=temperature, max_new_tokens=budget, batch_size=len(jobs)
        )
        cfg.seed = int(time.monotonic_ns() % 2**31) if do_sample else cfg.seed  # samples differ between requests

        def on_tokens(i: int, ids: list[int]) -> None:
            if jobs[i].on_tokens is not None:
                jobs[i].on_tokens(ids)

        self.sizes.append(len(jobs))
        try:
            gens: list[Generation] = generate(
                self.model,
                [j.prompt for j in jobs],
                cfg,
                prompts=[j.prompt for j in jobs],
                options=[j.options for j in jobs],
                on_tokens=on_tokens,
            )
        except Exception as e:  # noqa: BLE001 - reported to every waiting request
            for j in jobs:
                j.future.set_exception(e)
            return
        for j, g in zip(jobs, gens):
            j.future.set_result(g)
