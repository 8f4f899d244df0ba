"""What README tells a user to click or set exists under that name: the 委托 menu, the 催办 and
抄送 of a case's or matter's page, the group robots in the admin and the transport setting."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text()


def test_readme_says_where_delegations_presses_and_copies_are_met():
    base = (ROOT / "portal/templates/portal/base.html").read_text()
    assert "顶部菜单“委托”" in README and '{% translate "委托" %}' in base
    detail = (ROOT / "procedures/village/pages.py").read_text()
    section = "退回、撤回、更正、催办、抄送"
    assert section in detail and f"“{section}”一栏" in README
    assert "点“催办”" in README and "“抄送”由乡镇党委、县委组织部" in README


def test_readme_says_how_a_county_sets_up_its_group_robots():
    robot = apps.get_model("notifications", "RobotWebhook")
    place = f"{apps.get_app_config('notifications').verbose_name} → {robot._meta.verbose_name}"
    assert f"后台“{place}”" in README
    assert "JICENG_ROBOT_TRANSPORT=notifications.robots.HttpTransport" in README
    assert import_string("notifications.robots.HttpTransport") is not None
    for field in ("name", "secret"):  # the fields README names, as the admin names them
        label = str(robot._meta.get_field(field).verbose_name).split("（")[0]
        assert label in README, label


def test_the_package_metadata_installs_without_a_deprecation_table():
    """`make install` printed setuptools' deprecation of `project.license` as a table: the
    licence is an SPDX expression string, which setuptools 77 and later take as is."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert isinstance(project["project"]["license"], str)
    assert project["project"]["license"].startswith("LicenseRef-")
    assert "setuptools>=77" in project["build-system"]["requires"]
