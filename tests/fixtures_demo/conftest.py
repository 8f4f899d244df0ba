import pytest

from ..conftest import demo_county_loaded


@pytest.fixture(scope="package")
def demo_county_for_package(django_db_setup, django_db_blocker):
    """The demo county once for this package's modules, which all read it (a package-scoped
    fixture ends with the package it is defined in: here, not in tests/)."""
    yield from demo_county_loaded(django_db_blocker)
