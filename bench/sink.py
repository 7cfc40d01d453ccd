"""An SMTP server for the benchmark's mail; free of Django, so it starts before settings are read."""

import logging
import socket

from aiosmtpd.controller import Controller

# aiosmtpd logs every command of every mail: thousands of lines that would bury the figures.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Sink:
    """An SMTP server in a thread that accepts every mail and keeps none."""

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"

    def __init__(self):
        self.received = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    def start(self) -> int:
        self.controller.start()
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
