"""Logins cannot be guessed, sessions end with the working day, and every page says what it
may load: a Content-Security-Policy without inline code, and a Permissions-Policy."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories

from ..procedures.membership.walk import walk, world

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-2026"


@pytest.fixture
def secretary():
    user = get_user_model().objects.create_user("guessed", password=PASSWORD)
    return user


def _login(client, password):
    return client.post(reverse("staff:login"), {"username": "guessed", "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, secretary):
    from django.conf import settings

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, f"wrong-{attempt}")
        assert response.status_code in (200, 429)
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_logs_in(client, secretary):
    from django.conf import settings

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, f"wrong-{attempt}")
    assert _login(client, PASSWORD).status_code == 302


def test_the_api_takes_no_basic_auth_but_takes_a_token(client, secretary):
    from rest_framework.authtoken.models import Token

    basic = base64.b64encode(f"guessed:{PASSWORD}".encode()).decode()
    response = client.get(reverse("api:cases"), HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code in (401, 403)
    token = Token.objects.create(user=secretary)
    response = client.get(reverse("api:cases"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_a_session_ends_with_the_browser_and_after_a_working_day(client, secretary):
    response = _login(client, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes
    assert client.session.get_expiry_age() == 8 * 3600


def _pages(client):
    w = world()
    case = walk(w, until="talk")
    tree_village = w.branch.village
    public = [
        reverse("public:home"),
        reverse("public:village", args=[tree_village.pk]),
        reverse("public:receipt"),
    ]
    client.force_login(w.secretary)
    staff = [
        reverse("staff:home"),
        reverse("staff:inbox"),
        reverse("staff:cases"),
        reverse("staff:subject", args=["cases", case.pk]),
        reverse("staff:matters"),
        reverse("staff:notices"),
        reverse("staff:people"),
        reverse("staff:notifications"),
        reverse("api:docs"),
    ]
    return public + staff


def test_every_page_has_a_strict_policy_and_no_inline_code(client):
    for url in _pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        body = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url  # no inline script
        assert " style=" not in body and "<style" not in body, url
        assert not re.search(r"\son[a-z]+=", body), url  # no inline event handlers


def test_the_admin_keeps_the_policy_too(client):
    admin = factories.user_for(factories.person(factories.tree().branches[0]), "root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
