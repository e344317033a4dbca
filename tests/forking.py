"""Run one piece of work in a forked child with a hard timeout, so that a hang fails a test instead of stopping the suite."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable

from briefs.errors import TemplateError

__all__ = ["in_child"]


def in_child(work: Callable[[], object], seconds: float) -> tuple[str, str, float]:
    """Run `work` in a forked child for at most `seconds`; return (outcome, text, seconds taken).

    The outcome is 'ok' (text: the result), 'TemplateError' for it or a subclass, another
    exception's type name, 'hung' when the child had to be killed, or 'crashed'.
    """
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        try:
            writer.send(("ok", str(work())[:4000]))
        except BaseException as exc:  # the outcome under test, whatever it is
            writer.send(("TemplateError" if isinstance(exc, TemplateError) else type(exc).__name__, str(exc)))

    started = time.monotonic()
    process = context.Process(target=child)
    process.start()
    process.join(seconds)
    if process.is_alive():
        process.kill()
        process.join()
        return "hung", "", time.monotonic() - started
    outcome, text = reader.recv() if reader.poll() else ("crashed", f"exit code {process.exitcode}")
    return outcome, text, time.monotonic() - started
