"""企业微信 and 钉钉 group robots, configured per county: each reminder to a user of the
county is posted once per robot, naming the recipient and never his phone; a robot's
address must be https on its own host; a failure is retried like an SMS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications import robots, services
from notifications.models import Delivery, RobotWebhook
from procedures.people.models import Person

from ..procedures.membership.walk import open_case, world

pytestmark = pytest.mark.django_db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=xyz"


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize(
    ("kind", "url", "ok"),
    [
        ("wecom", WECOM, True),
        ("wecom", WECOM.replace("https", "http"), False),
        ("wecom", "https://qyapi.weixin.qq.com.evil.cn/send", False),
        ("wecom", DINGTALK, False),
        ("dingtalk", DINGTALK, True),
        ("dingtalk", "https://10.0.0.1/robot/send", False),
    ],
)
def test_a_robot_address_is_https_on_its_own_host(kind, url, ok):
    w = world()
    robot = RobotWebhook(county=w.tree.county, kind=kind, name="工作群", url=url)
    if ok:
        robot.full_clean()
        return
    with pytest.raises(ValidationError) as raised:
        robot.full_clean()
    assert "https://" in str(raised.value.message_dict["url"])
    with pytest.raises(robots.RobotError):
        robots.HttpTransport().post(kind=kind, url=url, secret="", body={}, key="k")


def test_dingtalk_s_signature_is_the_hmac_of_timestamp_and_secret():
    url = robots.signed_url(DINGTALK, "SEC123", now_ms=1700000000000)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["timestamp"] == ["1700000000000"] and query["access_token"] == ["xyz"]
    expected = hmac.new(b"SEC123", b"1700000000000\nSEC123", hashlib.sha256).digest()
    assert base64.b64decode(query["sign"][0]) == expected


class _Answer:
    def __init__(self, body: dict) -> None:
        self.body = json.dumps(body).encode()

    def read(self):
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def posted(monkeypatch, settings):
    """The robots' HTTP transport, with the network replaced by a list of requests."""
    settings.JICENG_ROBOT_TRANSPORT = "notifications.robots.HttpTransport"
    sent, answers = [], []

    def urlopen(request, timeout):
        sent.append((request.full_url, json.loads(request.data)))
        return _Answer(answers.pop(0) if answers else {"errcode": 0, "errmsg": "ok"})

    monkeypatch.setattr(robots.urllib.request, "urlopen", urlopen)
    return sent, answers


def _reminded(w, *robots_of_county):
    for kind, url in robots_of_county:
        RobotWebhook.objects.create(
            county=w.tree.county, kind=kind, name=f"{kind}工作群", url=url, secret="S"
        )
    Person.objects.filter(pk=w.secretary.person.pk).update(phone="13800138000")
    open_case(w)  # talk due 2023-04-01
    services.sweep(now=at(date(2023, 3, 30)))


def test_each_robot_of_the_county_gets_the_reminder_once_without_the_phone(posted):
    sent, _answers = posted
    w = world()
    _reminded(w, ("wecom", WECOM), ("dingtalk", DINGTALK))
    deliveries = Delivery.objects.filter(channel__in=["wecom", "dingtalk"])
    assert sorted(d.channel for d in deliveries) == ["dingtalk", "wecom"]
    for delivery in deliveries:
        assert services.deliver(delivery.pk, final=False) == "sent"
        assert services.deliver(delivery.pk, final=False) == "skipped"
    assert len(sent) == 2
    urls = sorted(url for url, _body in sent)
    assert urls[0].startswith(DINGTALK + "&timestamp=") and urls[1] == WECOM
    for _url, body in sent:
        content = body["text"]["content"]
        assert "谈话" in content and w.secretary.person.name in content
        assert "13800138000" not in content
        assert "（编号：delivery-" in content


def test_a_county_without_robots_or_with_one_switched_off_posts_nowhere(posted):
    w = world()
    RobotWebhook.objects.create(
        county=w.tree.county, kind="wecom", name="工作群", url=WECOM, active=False
    )
    _reminded(w)
    assert not Delivery.objects.filter(channel__in=["wecom", "dingtalk"]).exists()


def test_a_robot_that_answers_an_error_is_retried_then_failed(posted):
    sent, answers = posted
    w = world()
    _reminded(w, ("wecom", WECOM))
    delivery = Delivery.objects.get(channel="wecom")
    answers.append({"errcode": 93000, "errmsg": "invalid webhook url"})
    with pytest.raises(robots.RobotError):
        services.deliver(delivery.pk, final=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "93000" in delivery.last_error
    answers.append({"errcode": 93000, "errmsg": "invalid webhook url"})
    assert services.deliver(delivery.pk, final=True) == "failed"
    assert len(sent) == 2


def test_the_file_transport_drops_a_key_it_has_taken(settings, tmp_path):
    settings.JICENG_ROBOT_FILE_PATH = str(tmp_path)
    transport = robots.FileTransport()
    for _ in range(2):
        transport.post(kind="wecom", url=WECOM, secret="", body={"x": 1}, key="delivery-7")
    lines = [line for path in tmp_path.glob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(lines) == 1 and json.loads(lines[0])["key"] == "delivery-7"
