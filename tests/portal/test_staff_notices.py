import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from procedures.people.models import Position
from procedures.publicity import services
from procedures.publicity.models import Objection
from tests import factories
from workflows.models import AuditEvent
from workflows.notices import Finding, NoticeStatus, ObjectionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    tree = factories.tree()
    users = {}
    for key, organisation, title in [
        ("secretary", tree.branches[0], Position.Title.SECRETARY),
        ("organiser", tree.townships[0], Position.Title.ORGANISER),
        ("other_secretary", tree.branches[2], Position.Title.SECRETARY),
    ]:
        holder = factories.person(organisation)
        factories.hold(holder, organisation, title)
        users[key] = factories.user_for(holder, key)
    notice = services.notice_draft(
        actor=None,
        village=tree.villages[0],
        kind="candidate",
        issuer="测试村党支部",
        fields={"name": "张三"},
    )
    return users, notice


def test_secretary_publishes_from_the_staff_page(client, setup):
    users, notice = setup
    client.force_login(users["secretary"])
    response = client.post(reverse("staff:notice_publish", args=[notice.pk]), follow=True)
    assert "公示已发布" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED


def test_another_branch_cannot_see_or_publish(client, setup):
    users, notice = setup
    client.force_login(users["other_secretary"])
    assert client.get(reverse("staff:notice", args=[notice.pk])).status_code == 404
    before = AuditEvent.objects.count()
    assert client.post(reverse("staff:notice_publish", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert AuditEvent.objects.count() == before


def test_withdraw_without_reason_is_refused_in_chinese(client, setup):
    users, notice = setup
    client.force_login(users["secretary"])
    response = client.post(reverse("staff:notice_withdraw", args=[notice.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "撤回公示必须说明原因" in response.content.decode()


def _objection(notice):
    services.notice_publish(actor=None, notice=notice)
    return services.objection_submit(
        notice_id=notice.pk,
        text="反映一个问题的内容",
        name="王大",
        phone="13912345678",
        client_key="k",
    )


def test_township_records_verification_and_finding_on_the_staff_page(client, setup):
    users, notice = setup
    objection = _objection(notice)
    client.force_login(users["organiser"])
    page = client.get(reverse("staff:notice", args=[notice.pk])).content.decode()
    assert "13912345678" not in page and "139****5678" in page  # no personal-data permission
    client.post(reverse("staff:objection_verify", args=[objection.pk]), {"note": "入户核实"})
    client.post(
        reverse("staff:objection_resolve", args=[objection.pk]),
        {"finding": Finding.REJECTED, "explanation": "经核实不属实"},
    )
    objection.refresh_from_db()
    assert (objection.status, objection.finding) == (ObjectionStatus.RESOLVED, Finding.REJECTED)


def test_township_with_permission_sees_the_objectors_phone(client, setup):
    users, notice = setup
    _objection(notice)
    users["organiser"].user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(users["organiser"])
    assert "13912345678" in client.get(reverse("staff:notice", args=[notice.pk])).content.decode()


def test_api_lists_publishes_and_withdraws(client, setup):
    users, notice = setup
    client.force_login(users["secretary"])
    listing = client.get(reverse("api:notices")).json()
    assert [row["id"] for row in listing["results"]] == [notice.pk]
    published = client.post(reverse("api:notice_publish", args=[notice.pk])).json()
    assert published["status"] == "published" and published["ends_on"]
    again = client.post(reverse("api:notice_publish", args=[notice.pk]))
    assert again.status_code == 409 and again.json()["code"] == "notice_not_draft"
    bad = client.post(
        reverse("api:notice_withdraw", args=[notice.pk]), {}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    done = client.post(
        reverse("api:notice_withdraw", args=[notice.pk]),
        {"reason": "信息有误"},
        content_type="application/json",
    )
    assert done.json()["status"] == "withdrawn"


def test_api_refuses_a_village_verifier_with_403_and_changes_nothing(client, setup):
    users, notice = setup
    objection = _objection(notice)
    client.force_login(users["secretary"])
    response = client.post(
        reverse("api:objection_finding", args=[objection.pk]),
        {"finding": "rejected", "explanation": "村里说没问题"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "objection_forbidden"
    assert Objection.objects.get().status == ObjectionStatus.RECEIVED


def test_api_township_resolves_and_lists_objections_with_masked_contact(client, setup):
    users, notice = setup
    objection = _objection(notice)
    client.force_login(users["organiser"])
    rows = client.get(reverse("api:notice_objections", args=[notice.pk])).json()
    assert rows[0]["phone"] == "139****5678" and rows[0]["name"] == "王*"
    response = client.post(
        reverse("api:objection_finding", args=[objection.pk]),
        {"finding": "upheld", "explanation": "属实"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["finding"] == "upheld"
    wrong = client.post(
        reverse("api:objection_finding", args=[objection.pk]),
        {"finding": "perhaps", "explanation": "x"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
