"""The objection form's limits hold under concurrency and against a forged proxy header."""

import threading

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from portal.headers import client_address
from portal.public.views import CLIENT_COOKIE
from procedures.publicity import services
from procedures.publicity.models import Objection
from tests import factories


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # the client wrote 6.6.6.6 itself
        ("6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        ("203.0.113.9", 1, "203.0.113.9"),
        ("203.0.113.9", 3, "203.0.113.9"),
        ("", 1, "127.0.0.9"),
    ],
)
def test_the_client_address_is_the_one_our_proxy_added(header, proxies, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="127.0.0.9")
    with override_settings(
        JICENG_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", JICENG_TRUSTED_PROXIES=proxies
    ):
        assert client_address(request) == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_objections_at_once_from_one_browser_store_only_the_limit():
    tree = factories.tree()
    notice = services.notice_draft(
        actor=None, village=tree.villages[0], kind="candidate", issuer="测试", fields={"name": "甲"}
    )
    services.notice_publish(actor=None, notice=notice)
    url = reverse("public:concern", args=[notice.pk])
    barrier = threading.Barrier(10)
    codes = []

    def submit(index):
        client = Client()
        client.cookies[CLIENT_COOKIE] = "one-browser"
        barrier.wait()
        try:
            codes.append(client.post(url, {"text": f"第{index}件同时提交的反映"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    limit = services.RATE_PER_CLIENT
    assert sorted(codes) == [200] * limit + [429] * (10 - limit)
    assert Objection.objects.count() == limit
