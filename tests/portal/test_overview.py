"""The township's overview: its villages × kinds of work, red/amber/green by the deadline
rows, each cell a link to the village's list; a step taken changes the cell's colour."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from portal.staff import overview
from procedures.membership import services as membership
from procedures.people.models import Position
from procedures.village import services as village
from procedures.village.models import Matter
from tests import factories

from ..procedures.village.world import D, advance, register, village_world

pytestmark = pytest.mark.django_db


def _township_user(w, township):
    organiser = factories.person(township, name=f"{township.name}组织员")
    factories.hold(organiser, township, Position.Title.ORGANISER)
    return factories.user_for(organiser, f"o-{township.pk}")


def _cells(user, branch) -> dict[str, overview.Cell]:
    _kinds, rows = overview.villages(user)
    [row] = [row for row in rows if row.branch == branch]
    return {cell.kind: cell for cell in row.cells}


def test_the_township_sees_its_villages_each_kind_coloured_by_its_deadlines():
    w = village_world()
    applicant = factories.person(w.branch, name="申请人乙", born=date(1998, 3, 1))
    membership.case_open(actor=None, person=applicant, branch=w.branch, applied_on=date(2023, 3, 1))
    matter = register(w)
    advance(w, matter, until="publish_resolution")
    user = _township_user(w, w.tree.townships[0])
    kinds, rows = overview.villages(user)
    assert kinds[:3] == ["发展党员", "村级事务", "公示"] and "组织生活" in kinds
    # Its two villages, the one with overdue work first; none of the other township's.
    assert [row.branch for row in rows] == [w.branch, w.tree.branches[1]]
    cells = _cells(user, w.branch)
    assert cells["发展党员"].colour == "red" and cells["发展党员"].text.startswith("超期")
    assert cells["村级事务"].colour == "red"
    assert (cells["公示"].colour, cells["公示"].text) == ("green", "正常")
    # Each cell opens the items it counts (portal.staff.overview.cell_items), which link on to
    # the village's whole list of that kind.
    for kind, listing in (
        ("发展党员", f"{reverse('staff:cases')}?branch={w.branch.pk}"),
        ("村级事务", f"{reverse('staff:matters')}?village={w.village.pk}"),
        ("组织生活", reverse("staff:subject", args=["branch-life", w.branch.pk])),
    ):
        page = reverse("staff:overview_cell", args=[w.branch.pk])
        assert cells[kind].url == f"{page}?{urlencode({'kind': kind})}"
        _branch, items, found = overview.cell_items(user, w.branch.pk, kind)
        assert found == listing
        assert len(items) == cells[kind].overdue + cells[kind].soon
    # The decision published, the village's 村级事务 cell turns from red.
    village.matter_publish_resolution(matter_id=matter.pk, actor=None, published_on=D["resolve"])
    assert _cells(user, w.branch)["村级事务"].colour != "red"


def test_a_village_s_secretary_sees_only_his_own_village():
    w = village_world()
    _kinds, rows = overview.villages(w.secretary_user)
    assert [row.branch for row in rows] == [w.branch]


def test_the_overview_page_links_each_cell_to_the_village_s_list(client):
    w = village_world()
    matter = register(w)
    advance(w, matter, until="publish_resolution")
    other = village.matter_register(
        actor=None, village=w.tree.villages[1], title="邻村事项", category="general"
    )
    user = _township_user(w, w.tree.townships[0])
    client.force_login(user)
    assert "各村情况" in client.get(reverse("staff:home")).content.decode()
    page = client.get(reverse("staff:overview")).content.decode()
    cell = f"{reverse('staff:overview_cell', args=[w.branch.pk])}?{urlencode({'kind': '村级事务'})}"
    assert f'href="{cell}"' in page and 'class="rag red"' in page
    counted = client.get(cell).content.decode()  # exactly what the cell counts, then the list
    url = f"{reverse('staff:matters')}?village={w.village.pk}"
    assert (
        f'href="{url}"' in counted
        and reverse("staff:subject", args=["matters", matter.pk]) in counted
    )
    assert reverse("staff:subject", args=["matters", other.pk]) not in counted
    listed = client.get(url).content.decode()
    assert matter.title in listed and other.title not in listed
    assert Matter.objects.count() == 2
    # A village's secretary is not offered the overview.
    client.force_login(w.secretary_user)
    assert "各村情况" not in client.get(reverse("staff:home")).content.decode()
