"""A real SMTP server for the tests (aiosmtpd), on a free port of 127.0.0.1."""

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every message the server accepted. `refuse` temporary failures are answered
    first (451), as a server that is busy or down for a moment; `delay` seconds are spent on
    each message, so that two runs overlap."""

    def __init__(self, refuse: int = 0, delay: float = 0):
        self.messages: list = []
        self.refuse = refuse
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
        if self.delay:
            time.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for rcpts, message in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(inbox: Inbox) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
