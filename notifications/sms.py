"""SMS backends, chosen by settings.JICENG_SMS_BACKEND: a file backend for development (one
line per message in var/sms/), and an HTTP webhook backend for a real gateway."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    pass


class FileBackend:
    """Like a gateway, it drops a message whose key it has already taken."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        folder = Path(settings.JICENG_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        if key in sent_keys(folder):
            return
        line = json.dumps(
            {
                "at": datetime.now().isoformat(timespec="seconds"),
                "to": phone,
                "key": key,
                "text": text,
            },
            ensure_ascii=False,
        )
        with open(folder / f"{datetime.now():%Y-%m-%d}.jsonl", "a", encoding="utf-8") as out:
            out.write(line + "\n")


def sent_keys(folder: Path) -> set[str]:
    keys: set[str] = set()
    for path in Path(folder).glob("*.jsonl"):
        with open(path, encoding="utf-8") as handle:
            keys.update(json.loads(line)["key"] for line in handle if line.strip())
    return keys


class WebhookBackend:
    """POSTs {"to", "text", "key"} as JSON; the gateway de-duplicates by `key`."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        body = json.dumps({"to": phone, "text": text, "key": key}).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured gateway URL
            settings.JICENG_SMS_WEBHOOK_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.JICENG_SMS_WEBHOOK_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as error:
            raise SmsError(str(error)) from error


def backend():
    return import_string(settings.JICENG_SMS_BACKEND)()
