"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class _Refusing(_Collector):
    """Answers "451 try again later" to the first ``refusals`` attempts for each
    recipient; can hold the attempt that would deliver the ``hold_after``+1-th message
    (the sender is stopped mid-transaction there) until ``release`` is set."""

    def __init__(self, refusals: int, hold_after: int | None) -> None:
        super().__init__()
        self.refusals = refusals
        self.attempts: dict[str, int] = {}
        self.hold_after = hold_after
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.attempts[address] = self.attempts.get(address, 0) + 1
        if self.attempts[address] <= self.refusals:
            return "451 4.3.0 Try again later"
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.hold_after = None
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SmtpSink:
    """``with SmtpSink() as sink:`` serves SMTP on ``sink.port`` until the block ends.

    ``refusals``: each recipient is refused this many times before a message to it is
    accepted. ``hold_after``: the attempt after this many accepted messages waits (is
    ``held``) until ``release`` is set, then is refused."""

    def __init__(self, refusals: int = 0, hold_after: int | None = None) -> None:
        self._collector = (
            _Refusing(refusals, hold_after) if refusals or hold_after is not None else _Collector()
        )
        self.port = free_port()
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @property
    def recipients(self) -> list[list[str]]:
        return self._collector.recipients

    @property
    def held(self) -> threading.Event:
        return self._collector.held

    @property
    def release(self) -> threading.Event:
        return self._collector.release

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if isinstance(self._collector, _Refusing):
            self._collector.release.set()
        self._controller.stop()
