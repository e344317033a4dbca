"""Drive the preview's application over ASGI by hand, to open, read and drop event streams as browsers do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from briefs.preview import Build

Message = dict[str, Any]


class Saves:
    """Stands in for the file watcher: each `save()` is one batch of changed inputs."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.fail: BaseException | None = None
        """Raised (once) by the watcher at the next save, as watchfiles raises for a folder it cannot read."""

    def save(self, name: str = "data/topic.yaml") -> None:
        self.queue.put_nowait(name)

    async def changes(self, watch: object, ready: Callable[[], None] | None = None) -> AsyncIterator[set[str]]:
        if ready is not None:
            ready()  # a queue of saves watches from the start
        while True:
            name = await self.queue.get()
            if self.fail is not None:
                exc, self.fail = self.fail, None
                raise exc
            yield {name}


class CountingBuilder:
    """A builder whose builds hold nothing but their number."""

    request = None

    def __init__(self) -> None:
        self.count = 0

    def build(self) -> Build:
        self.count += 1
        return Build(self.count)


@asynccontextmanager
async def running(app: Callable[..., Any]) -> AsyncIterator[None]:
    """Run the application's lifespan (start-up, then shut-down on leaving)."""
    messages: asyncio.Queue[Message] = asyncio.Queue()
    replies: asyncio.Queue[Message] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})

    async def send(message: Message) -> None:
        await replies.put(message)

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, messages.get, send))
    assert (await asyncio.wait_for(replies.get(), 5))["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await messages.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(task, 5)


class Stream:
    """One GET of `/events`, as a browser tab holds it open."""

    def __init__(self, app: Callable[..., Any], host: str = "127.0.0.1:8000") -> None:
        self.received: asyncio.Queue[Message] = asyncio.Queue()
        self.gone = asyncio.Event()
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": "/events", "raw_path": b"/events", "query_string": b"", "root_path": "",
                 "headers": [(b"host", host.encode())], "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000)}
        self.task = asyncio.create_task(app(scope, self._receive, self.received.put))

    async def _receive(self) -> Message:
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def build_number(self, seconds: float = 3) -> int:
        """Return the number of the next build this stream announces."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            message = await asyncio.wait_for(self.received.get(), deadline - asyncio.get_running_loop().time())
            for line in message.get("body", b"").decode().splitlines():
                if line.startswith("data: "):
                    return int(line.removeprefix("data: "))

    async def cancel(self) -> None:
        """Drop the connection as a reloading tab does: the server cancels the response, which must end."""
        self.task.cancel()
        done, _ = await asyncio.wait({self.task}, timeout=2)
        assert done, "the event stream went on after its connection was dropped"


async def get(app: Callable[..., Any], path: str, headers: tuple[tuple[str, str], ...] = (("host", "127.0.0.1:8000"),)
              ) -> tuple[int, bytes]:
    """Return the status and body of one GET of `path` on a running application."""
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.encode(), v.encode()) for k, v in headers], "server": ("127.0.0.1", 8000),
             "client": ("127.0.0.1", 50000)}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), 10)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])
