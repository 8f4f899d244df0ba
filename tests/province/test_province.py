"""The province generator at a small size (validity only, no timing): every village and case
the sizes ask for, every act's rules holding on the copies as on the templates the services
built, the deadline rows what each case's records call for, scopes intact, ID numbers valid
and unique, and the audit chain whole."""

from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from fixtures import province
from procedures.membership import deadlines as case_deadlines
from procedures.membership import selectors
from procedures.membership.models import Case
from procedures.membership.services import corrections
from procedures.people import identity
from procedures.people.models import Organisation, Person, Village
from workflows import deadlines
from workflows.audit import verify_chain
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db

SIZES = province.Sizes(counties=2, townships=4, villages=8, cases=64, templates=1)


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    """One province for the module's tests, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield province.make(SIZES, say=lambda text: None)
        transaction.set_rollback(True)


def test_a_small_province_is_whole_and_valid(made):
    counts = made.counts
    assert counts["counties"] == 2 and counts["townships"] == 4 and counts["villages"] == 8
    assert counts["cases"] == 64 == Case.objects.count()
    assert verify_chain() == []
    # Both rulebooks, and each county's cases under its own.
    assert {c.rulebook for c in Case.objects.all()} == {"cpc-2014", "cpc-2026"}
    for case in Case.objects.select_related("branch"):
        county = Organisation.objects.get(pk=int(case.branch.path.strip("/").split("/")[0]))
        assert case.rulebook == county.development_settings.rulebook
    # Cases at many steps, on the copies as on the templates.
    assert len(Counter(Case.objects.values_list("status", flat=True))) >= 10


def test_every_copied_case_holds_its_rules_and_its_deadlines(made):
    for case in Case.objects.select_related("person", "branch"):
        acts = dict(case.acts)
        # Every span rule of every step done (the cultivation year, the probation, ...).
        corrections._check_later_rules(case, acts, corrections._path(case))
        assert case.person.age_on(case.applied_on) >= 18
        # The open deadline rows are those the case's state calls for.
        open_keys = {row.key for row in deadlines.open_for(case)}
        assert open_keys == set(case_deadlines.desired(case))


def test_scopes_names_and_id_numbers(made):
    for organisation in Organisation.objects.select_related("parent"):
        parent_path = organisation.parent.path if organisation.parent else "/"
        assert organisation.path == f"{parent_path}{organisation.pk}/"
    for village in Village.objects.select_related("township"):
        branch = Organisation.objects.get(village=village, kind=Organisation.Kind.VILLAGE_BRANCH)
        assert branch.parent_id == village.township_id
        assert village.name in branch.name
    names = Counter(Village.objects.values_list("name", flat=True))
    assert max(names.values()) == 1  # a copy is named anew
    for person in Person.objects.all():
        male = person.gender == Person.Gender.MALE
        assert identity.problems(person.id_number, birth_date=person.birth_date, male=male) == []
    # A township's login sees its own villages' cases, all of them, and no other.
    user = get_user_model().objects.get(username="township2")
    township = user.person.organisation
    seen = selectors.cases_for(user=user)
    assert seen.count() == Case.objects.filter(branch__parent=township).count() > 0
    assert {case.branch.parent_id for case in seen} == {township.pk}


def test_copied_events_name_their_own_rows(made):
    """A copy's audit payloads point at the copy's rows, never the template's."""
    by_stream = defaultdict(list)
    for stream, payload in AuditEvent.objects.values_list("stream", "payload"):
        by_stream[stream].append(payload)
    for case in Case.objects.all():
        (opened,) = [p for p in by_stream[f"membership.case:{case.pk}"] if "rulebook" in p]
        assert opened["person"] == case.person_id
    for person_id, organisation_id in Person.objects.values_list("pk", "organisation_id"):
        registered = by_stream[f"people.person:{person_id}"][0]
        assert registered["organisation"] == organisation_id


def test_only_into_an_empty_database(made):
    with pytest.raises(CommandError, match="已有组织"):
        call_command("make_province", "--villages", "8", "--townships", "4", "--counties", "2")
    with pytest.raises(CommandError, match="不少于村数"):  # checked before the database
        call_command(
            "make_province", "--villages", "8", "--townships", "4", "--counties", "2",
            "--cases", "4",
        )  # fmt: skip


def test_the_province_bench_measures_on_it(made, settings):
    """`make bench SCALE=province`'s measurements, once each on the small province
    (correctness only: the bench itself times them on the whole one)."""
    from django.utils import timezone

    from config.bench import scale, scale_step

    settings.ALLOWED_HOSTS = ["testserver"]
    run = scale_step.province_step(4)
    assert run.count >= 1 and Case.objects.filter(status="talked").count() >= run.count + 1
    pages, username = scale.township_pages(rounds=1)
    assert username.startswith("township") and [p.name for p in pages] == [
        name for name, _url, _query in scale.PAGES
    ]
    from notifications.models import Notification

    created, _seconds = scale.reminder_batch(timezone.now())
    assert created > 0 and not Notification.objects.exists()  # made, and rolled back
    paths = scale.portal_paths()
    assert paths["village board"].startswith("/v/") and paths["notice page"].startswith("/n/")
