"""A real SMTP server for the notification tests (aiosmtpd): every message it accepts is
written to a folder, one file per message, before it answers 250, so a test that saw the
sender finish finds the file. Usage: smtp_sink.py FOLDER PORT; prints "ready" once listening
and runs until its standard input closes or it is killed."""

import pathlib
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = self.folder / f"{self.count:04d}.eml"
        tmp = name.with_suffix(".tmp")
        head = "X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n"
        tmp.write_bytes(head.encode() + envelope.content)
        tmp.rename(name)
        return "250 OK"


controller = Controller(Sink(sys.argv[1]), hostname="127.0.0.1", port=int(sys.argv[2]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
