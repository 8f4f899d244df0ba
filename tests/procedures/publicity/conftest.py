import pytest

from procedures.people.models import Position
from tests import factories


@pytest.fixture
def world(db):
    """A county with two townships; a branch secretary, a township organiser, an outsider."""
    tree = factories.tree()
    secretary = factories.person(tree.branches[0], name="支书")
    factories.hold(secretary, tree.branches[0], Position.Title.SECRETARY)
    organiser = factories.person(tree.townships[0], name="组织员")
    factories.hold(organiser, tree.townships[0], Position.Title.ORGANISER)
    outsider = factories.person(tree.townships[1], name="外乡组织员")
    factories.hold(outsider, tree.townships[1], Position.Title.ORGANISER)
    candidate = factories.person(tree.branches[0], name="张三")
    return {
        "tree": tree,
        "village": tree.villages[0],
        "candidate": candidate,
        "secretary": factories.user_for(secretary, "secretary"),
        "organiser": factories.user_for(organiser, "organiser"),
        "outsider": factories.user_for(outsider, "outsider"),
    }
