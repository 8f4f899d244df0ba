import logging

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from procedures.people.models import Position
from tests import factories
from workflows.models import AuditEvent
from workflows.privacy import mask_id_number, mask_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    tree = factories.tree()
    own = factories.person(tree.branches[0], name="本村村民")
    other = factories.person(tree.branches[2], name="外乡村民")
    secretary = factories.person(tree.branches[0], name="支部书记")
    factories.hold(secretary, tree.branches[0], Position.Title.SECRETARY)
    user = factories.user_for(secretary, "secretary")
    return tree, own, other, user


def test_api_lists_only_people_in_scope_with_masked_numbers(client, setup):
    _tree, own, _other, user = setup
    client.force_login(user)
    response = client.get(reverse("api:people"))
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert "本村村民" in names and "外乡村民" not in names
    body = response.content.decode()
    assert own.id_number not in body and own.phone not in body
    assert mask_id_number(own.id_number) in body
    assert mask_phone(own.phone) in body


def test_api_answers_404_with_a_chinese_message_outside_the_scope(client, setup):
    _tree, _own, other, user = setup
    client.force_login(user)
    response = client.get(reverse("api:person", args=[other.pk]))
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "person_not_found"
    assert "管理范围" in body["message"]
    assert body["citation"] is None


def test_api_needs_a_login(client, setup):
    response = client.get(reverse("api:people"))
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("not_authenticated", "forbidden")


def test_openapi_schema_is_served(client, setup):
    client.force_login(setup[3])
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert b"/api/people/" in response.content


def test_staff_pages_mask_numbers_and_hide_other_branches(client, setup):
    _tree, own, other, user = setup
    client.force_login(user)
    listing = client.get(reverse("staff:people")).content.decode()
    assert "本村村民" in listing and "外乡村民" not in listing
    assert own.id_number not in listing
    detail = client.get(reverse("staff:person", args=[own.pk])).content.decode()
    assert own.id_number not in detail and own.phone not in detail
    assert client.get(reverse("staff:person", args=[other.pk])).status_code == 404


def test_bad_filters_do_not_break_the_list(client, setup):
    client.force_login(setup[3])
    response = client.get(
        reverse("staff:people"), {"organisation": "x", "standing": "?", "page": "z"}
    )
    assert response.status_code == 200


def test_personal_data_needs_the_permission_and_changes_nothing_without_it(client, setup):
    _tree, own, _other, user = setup
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.post(reverse("staff:person_personal_data", args=[own.pk]), {"reason": "核对"})
    assert response.status_code == 403
    assert "没有查看完整身份证号码" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_authorised_personal_data_view_shows_the_number_and_is_audited(client, setup):
    _tree, own, _other, user = setup
    user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(user)
    response = client.post(
        reverse("staff:person_personal_data", args=[own.pk]), {"reason": "核对党员信息"}
    )
    assert response.status_code == 200
    assert own.id_number in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.filter(action="personal_data_viewed").get()
    assert event.actor == user
    assert event.payload == {"reason": "核对党员信息"}


def test_personal_data_view_is_post_only(client, setup):
    _tree, own, _other, user = setup
    client.force_login(user)
    assert client.get(reverse("staff:person_personal_data", args=[own.pk])).status_code == 405


def test_logs_never_carry_an_id_number_or_phone(setup):
    from workflows.logging import RedactingFormatter, RedactPersonalData

    own = setup[1]
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "person %s phone %s", (own.id_number, own.phone), None
    )
    RedactPersonalData().filter(record)
    line = RedactingFormatter("%(message)s").format(record)
    assert own.id_number not in line and own.phone not in line
    assert mask_id_number(own.id_number) in line
    assert own.id_number not in repr(own)


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("staff:login"))
    assert "工作人员登录" in response.content.decode()


@pytest.mark.parametrize("logger_name", ["django.server", "django.request", "django", "celery"])
def test_every_logger_writes_through_the_redaction(logger_name):
    """The development server's request line once went out through Django's own handler:
    a search for a phone number in a URL reached the log unmasked."""
    import io
    import logging

    logger = logging.getLogger(logger_name)
    handlers = []
    current = logger
    while current is not None:
        # pytest's own capture handlers aside: they are the test run's, not the project's.
        handlers += [h for h in current.handlers if not type(h).__module__.startswith("_pytest")]
        current = current.parent if current.propagate else None
    assert handlers
    line = '"GET /staff/people/?q=13812345678&id=529901199003071234 HTTP/1.1" 200 512'
    for handler in handlers:
        stream = io.StringIO()
        original = getattr(handler, "stream", None)
        if original is None:
            continue
        handler.setStream(stream)
        try:
            handler.handle(logger.makeRecord(logger_name, logging.INFO, "x", 1, line, (), None))
        finally:
            handler.setStream(original)
        written = stream.getvalue()
        assert "13812345678" not in written and "529901199003071234" not in written


def test_a_persons_page_shows_his_organisations_over_time(client, setup):
    from datetime import date

    from procedures.people import history
    from procedures.people.models import Discipline, Person

    tree, _own, _other, user = setup
    mover = factories.person(tree.branches[1], name="转入党员")
    Person.objects.filter(pk=mover.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2005, 7, 1)
    )
    history.membership_move(actor=None, person=mover, to=tree.branches[0], on=date(2026, 3, 31))
    history.discipline_record(
        actor=None,
        person=mover,
        kind=Discipline.Kind.WARNING,
        decided_on=date(2026, 5, 6),
        deciding_body="镇纪委",
    )
    client.force_login(user)
    page = client.get(reverse("staff:person", args=[mover.pk])).content.decode()
    assert "所属组织记录" in page
    assert tree.branches[1].name in page and "系统启用前" in page and "2026年3月31日" in page
    assert tree.branches[0].name in page and "2026年4月1日" in page and "至今" in page
    assert "组织关系转接" in page
    assert "警告（镇纪委决定）" in page
