from datetime import date

import pytest
from django.utils import timezone

from procedures.publicity import services
from procedures.publicity.models import Objection
from workflows.errors import Conflict, NotAllowed, ProcedureError
from workflows.models import AuditEvent
from workflows.notices import Finding, ObjectionStatus


@pytest.fixture
def notice(world):
    draft = services.notice_draft(
        actor=world["secretary"],
        village=world["village"],
        kind="candidate",
        subject=world["candidate"],
        issuer="测试村党支部",
        fields={"name": "张三"},
    )
    return services.notice_publish(actor=world["secretary"], notice=draft)


def submit(notice, text="该同志在村里表现一般，请核实。", key="client-1", **extra):
    return services.objection_submit(notice_id=notice.pk, text=text, client_key=key, **extra)


@pytest.mark.parametrize(("length", "ok"), [(4, False), (5, True), (1000, True), (1001, False)])
def test_text_length_boundaries(notice, length, ok):
    if ok:
        assert submit(notice, text="字" * length)
    else:
        with pytest.raises(ProcedureError) as raised:
            submit(notice, text="字" * length)
        assert raised.value.code == "objection_text_length"
        assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("", True),
        ("13800001111", True),
        ("0851-12345678", True),
        ("1380000111", False),
        ("abc", False),
        ("12800001111", False),
    ],
)
def test_phone_is_optional_but_must_look_like_a_phone(notice, phone, ok):
    if ok:
        assert submit(notice, phone=phone).phone == phone
    else:
        with pytest.raises(ProcedureError):
            submit(notice, phone=phone)


def test_control_characters_are_stripped(notice):
    assert submit(notice, text="有问题\x00\x07要反映").text == "有问题要反映"


def test_a_flood_from_one_client_is_refused_and_others_still_get_through(notice):
    accepted = refused = 0
    for _ in range(50):
        try:
            submit(notice, key="flooder", network_key="net-1")
            accepted += 1
        except ProcedureError as error:
            assert error.status == 429
            refused += 1
    assert (accepted, refused) == (services.RATE_PER_CLIENT, 50 - services.RATE_PER_CLIENT)
    for index in range(10):  # neighbours behind other addresses are not affected
        assert submit(notice, key=f"villager-{index}", network_key=f"net-{index + 2}")
    assert Objection.objects.count() == services.RATE_PER_CLIENT + 10


@pytest.mark.parametrize(("earlier", "ok"), [(4, True), (5, False)])
def test_rate_limit_boundary_per_client(notice, earlier, ok):
    for _ in range(earlier):
        submit(notice, key="same")
    if ok:
        submit(notice, key="same")
    else:
        with pytest.raises(ProcedureError):
            submit(notice, key="same")


def test_one_shared_address_has_a_higher_cap(notice):
    for index in range(services.RATE_PER_NETWORK):
        submit(notice, key=f"phone-{index}", network_key="carrier-nat")
    with pytest.raises(ProcedureError) as raised:
        submit(notice, key="one-more-phone", network_key="carrier-nat")
    assert raised.value.status == 429


def test_the_village_cannot_verify_objections_and_nothing_changes(notice, world):
    objection = submit(notice)
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as raised:
        services.objection_resolve(
            actor=world["secretary"],
            objection=objection,
            finding=Finding.REJECTED,
            explanation="村里说没问题",
        )
    assert raised.value.status == 403
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED
    assert AuditEvent.objects.count() == before


def test_another_township_cannot_verify(notice, world):
    with pytest.raises(NotAllowed):
        services.objection_start_verification(
            actor=world["outsider"], objection=submit(notice), note="看看"
        )


def test_the_township_verifies_and_resolves(notice, world):
    objection = submit(notice)
    services.objection_start_verification(
        actor=world["organiser"], objection=objection, note="走访"
    )
    with pytest.raises(Conflict):
        services.objection_start_verification(
            actor=world["organiser"], objection=objection, note="x"
        )
    with pytest.raises(ProcedureError) as raised:
        services.objection_resolve(
            actor=world["organiser"], objection=objection, finding="maybe", explanation="x"
        )
    assert raised.value.code == "finding_required"
    resolved = services.objection_resolve(
        actor=world["organiser"],
        objection=objection,
        finding=Finding.PARTLY,
        explanation="部分情况属实，已批评教育",
    )
    assert resolved.status == ObjectionStatus.RESOLVED
    assert resolved.resolved_on == timezone.localdate()
    with pytest.raises(Conflict):
        services.objection_resolve(
            actor=world["organiser"], objection=objection, finding=Finding.UPHELD, explanation="x"
        )


def test_an_upheld_objection_is_announced_after_commit_and_blocks_the_step(
    notice, world, django_capture_on_commit_callbacks
):
    received = []
    services.objection_upheld.connect(lambda **kw: received.append(kw), weak=False)
    try:
        objection = submit(notice)
        with django_capture_on_commit_callbacks(execute=True):
            services.objection_resolve(
                actor=world["organiser"],
                objection=objection,
                finding=Finding.UPHELD,
                explanation="经核查属实",
            )
    finally:
        services.objection_upheld.receivers.clear()
    assert received[0]["notice_id"] == notice.pk
    assert received[0]["subject_id"] == world["candidate"].pk
    with pytest.raises(ProcedureError) as raised:
        services.notice_gate(notice=notice, today=date(2099, 1, 1))
    assert raised.value.code == "objection_upheld"


def test_an_unresolved_objection_holds_the_gate(notice):
    submit(notice)
    with pytest.raises(Conflict) as raised:
        services.notice_gate(notice=notice, today=date(2099, 1, 1))
    assert raised.value.code == "objection_unresolved"


def test_a_notice_closed_with_an_open_objection_keeps_its_deadline_until_it_is_settled(world):
    """The period ends; the notice closes; an objection still being checked keeps the
    notice's deadline open (overdue: escalated) until its finding is recorded."""
    from datetime import timedelta

    from workflows import deadlines

    draft = services.notice_draft(
        actor=world["secretary"],
        village=world["village"],
        kind="candidate",
        subject=world["candidate"],
        issuer="测试村党支部",
        fields={"name": "张三"},
    )
    published = services.notice_publish(
        actor=world["secretary"], notice=draft, published_on=timezone.localdate()
    )
    objection = submit(published)
    services.notices_close_due(today=published.ends_on + timedelta(days=1))
    published.refresh_from_db()
    assert published.status == "closed"
    [row] = deadlines.open_for(published)
    assert row.key == "notice_close"
    services.objection_resolve(
        actor=world["organiser"],
        objection=objection,
        finding=Finding.REJECTED,
        explanation="不属实",
    )
    assert deadlines.open_for(published) == []
