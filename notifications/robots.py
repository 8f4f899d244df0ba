"""Group-robot webhooks where officials look: 企业微信 (WeCom) and 钉钉 (DingTalk).

A county configures its robots (`RobotWebhook`, in the admin): each reminder or hand-off
to a user of that county becomes one delivery per robot, sent once like the SMS (the
delivery row is locked and marked sent; its key, `delivery-<id>`, travels with the message
so a repeat after a crash can be recognised, and the file transport drops it). The message
names the recipient and his post, never a phone number or an ID number.

Transports, chosen by settings.JICENG_ROBOT_TRANSPORT: `HttpTransport` posts to the robot's
address; `FileTransport` (development, the embedded default) writes one line per message
under var/robots/ instead."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# The hosts each robot kind posts to: a configured address elsewhere is refused (a robot's
# address is an outbound request the server makes; it must not reach the intranet).
HOSTS = {"wecom": "qyapi.weixin.qq.com", "dingtalk": "oapi.dingtalk.com"}


class RobotError(Exception):
    pass


def check_url(kind: str, url: str) -> str:
    """The robot's address, if it is an https address of its kind's host; else RobotError."""
    parsed = urllib.parse.urlsplit(url or "")
    if parsed.scheme != "https" or parsed.hostname != HOSTS.get(kind):
        raise RobotError(f"{kind} robot address must be https://{HOSTS.get(kind)}/...")
    return url


def message(kind: str, *, title: str, text: str, key: str) -> dict:
    """The robot's JSON body: plain text (both robots accept it), with the key last."""
    content = f"{title}\n{text}\n（编号：{key}）"
    return {"msgtype": "text", "text": {"content": content}}


def signed_url(url: str, secret: str, *, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp and HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded."""
    if not secret:
        return url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    sign = urllib.parse.quote_plus(base64.b64encode(digest.digest()))
    return f"{url}&timestamp={timestamp}&sign={sign}"


class HttpTransport:
    def post(self, *, kind: str, url: str, secret: str, body: dict, key: str) -> None:
        url = check_url(kind, url)
        if kind == "dingtalk":
            url = signed_url(url, secret)
        request = urllib.request.Request(  # noqa: S310 - checked: https, the robot's own host
            url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as error:
            raise RobotError(str(error)) from error
        # Both robots answer 200 with {"errcode": 0, "errmsg": "ok"}; anything else failed.
        if answer.get("errcode") != 0:
            raise RobotError(f"robot answered {answer.get('errcode')}: {answer.get('errmsg')}")


class FileTransport:
    """Like a robot that remembers, it drops a message whose key it has already taken."""

    def post(self, *, kind: str, url: str, secret: str, body: dict, key: str) -> None:
        check_url(kind, url)
        folder = Path(settings.JICENG_ROBOT_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        if key in _keys(folder):
            return
        line = json.dumps(
            {"at": datetime.now().isoformat(timespec="seconds"), "kind": kind, "key": key,
             "body": body},
            ensure_ascii=False,
        )  # fmt: skip
        with open(folder / f"{datetime.now():%Y-%m-%d}.jsonl", "a", encoding="utf-8") as out:
            out.write(line + "\n")


def _keys(folder: Path) -> set[str]:
    keys: set[str] = set()
    for path in folder.glob("*.jsonl"):
        with open(path, encoding="utf-8") as handle:
            keys.update(json.loads(line)["key"] for line in handle if line.strip())
    return keys


def transport():
    return import_string(settings.JICENG_ROBOT_TRANSPORT)()


def send(robot, *, title: str, text: str, key: str) -> None:
    transport().post(
        kind=robot.kind,
        url=robot.url,
        secret=robot.secret,
        body=message(robot.kind, title=title, text=text, key=key),
        key=key,
    )
