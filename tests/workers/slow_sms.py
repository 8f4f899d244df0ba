"""An SMS backend for the worker tests: the file backend, slowed down so that a worker can
be killed in the middle of a batch."""

import time

from notifications.sms import FileBackend


class SlowFileBackend(FileBackend):
    def send(self, *, phone: str, text: str, key: str) -> None:
        time.sleep(0.15)
        super().send(phone=phone, text=text, key=key)
