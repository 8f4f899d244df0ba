"""A county's Word template is code a clerk uploads: it renders in Jinja2's sandbox over plain
values, in a child process bounded in time, memory and output, and one that names what a page
does not have, or reaches past its data, is refused in the admin in Chinese, naming what it
found; the template in use before stays in use. Templates stored before this are checked again
and disabled with their reason."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from portal import documents
from portal.documents import word
from portal.models import DocumentTemplate, template_for
from tests.factories import word_template
from workflows.errors import ProcedureError

from ..procedures.membership.walk import world

pytestmark = pytest.mark.django_db

REFUSED = [
    ("{{ lipsum.__globals__.os.getcwd() }}", "不能调用函数或方法（lipsum.__globals__.os.getcwd）"),
    ("{% for i in range(3000000) %}x{% endfor %}", "不能调用函数或方法（range）"),
    (
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        "不能调用函数或方法（range）",
    ),
    ("{{ titel }}", "模板中的字段 titel 不存在，可用字段：title、facts、paragraphs"),
    ("{{ settings.DATABASES }}", "模板中的字段 settings 不存在"),
    ("{% for f in facts %}{{ f.__class__ }}{% endfor %}", "以下划线开头的名称（__class__）"),
    (
        "{% for fact in facts %}{{ fact.lable }}{% endfor %}",
        "模板中的字段 fact.lable 不存在，可用字段：label、text",
    ),
    ("{{ title|attr('x') }}", "过滤器 attr 不可用"),
    ("{{ facts['__len__'] }}", "以下划线开头的名称（__len__）"),
    ("{% for f in facts %}{{ f[title] }}{% endfor %}", "下标只能是数字或字段名（f[…]）"),
    ("{% include 'x.xml' %}", "不能使用 include 标签"),
    ("{% macro m() %}{% endmacro %}", "不能使用 macro 标签"),
    ("{{ title }", "段附近的标签写法有误，请检查 {{ }} 与 {% %} 是否成对"),
    ("{{ cycler }}", "模板中的字段 cycler 不存在"),
]


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("county.docx", word_template("县委组织部印制", text))


def _clerk(client):
    """A county clerk whose only right in the admin is the 文书模板."""
    clerk = get_user_model().objects.create_user("template-clerk", password="x", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_documenttemplate", "view_documenttemplate"])
    )
    client.force_login(clerk)
    return client


@pytest.mark.parametrize(("text", "said"), REFUSED)
def test_a_template_reaching_past_the_page_is_refused_naming_what_it_found(text, said):
    with pytest.raises(ProcedureError) as refused:
        documents.check_template(word_template(text))
    message = refused.value.message
    assert message.startswith("文书模板有误：") and said in message, message
    for english in ("unexpected", "undefined", "jinja", "Error", "object at 0x", "BytesIO"):
        assert english not in message


def test_a_syntax_error_is_said_by_its_paragraph():
    with pytest.raises(ProcedureError) as refused:
        documents.check_template(word_template("封面", "{{ title }}", "{% for f in facts %}"))
    assert "模板第3段附近的标签写法有误" in refused.value.message


def test_the_payloads_are_refused_in_the_admin_and_nothing_renders(client, tmp_path):
    """From the outside: the clerk's uploads refused on the form (200, the message by the
    field), nothing stored, the county's earlier template still the one in use."""
    _clerk(client)
    url = reverse("admin:portal_documenttemplate_add")
    good = client.post(
        url, {"key": "branch-life", "active": "on", "upload": _upload("{{ title }}")}
    )
    assert good.status_code == 302
    earlier = template_for("branch-life")
    for text, said in REFUSED:
        response = client.post(url, {"key": "branch-life", "active": "on", "upload": _upload(text)})
        assert response.status_code == 200 and said in response.content.decode(), text
    assert DocumentTemplate.objects.count() == 1 and template_for("branch-life") == earlier
    # What the secretary downloads is the county's template over the page, nothing else.
    from docx import Document

    w = world()
    client.force_login(w.secretary)
    answer = client.get(
        reverse("staff:subject_document", args=["branch-life", w.branch.pk, "docx"])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "县委组织部印制" in text and os.getcwd() not in text and "postgresql" not in text


def test_the_context_is_plain_values_only():
    from docxtpl import RichText

    link = RichText("查看")
    user = get_user_model()(username="someone")
    plain = word.plain({"a": [user, (1, 2.5, None)], "b": {"c": len, 3: link}})
    assert plain == {"a": ["someone", [1, 2.5, None]], "b": {"c": str(len), "3": link}}


def test_a_template_that_loops_for_ever_is_stopped_within_its_time(settings):
    settings.JICENG_TEMPLATE_SECONDS = 1
    page = {"title": "t", "facts": [{"label": "甲", "text": "", "url": ""}] * 2000, "sections": []}
    nested = "{% for a in facts %}{% for b in facts %}{% for c in facts %}"
    nested += "{% endfor %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(ProcedureError) as refused:
        documents.page_docx(page, base_url="http://x", template=word_template(nested))
    assert "模板生成文书超过1秒，已停止" in refused.value.message
    assert time.monotonic() - started < 1 + 5 + 1  # its CPU second, and the parent's grace


def test_a_template_that_fills_the_memory_is_stopped_within_its_allowance(settings):
    settings.JICENG_TEMPLATE_MEMORY_MIB = 64
    # The memory bound under test, not the time (its own test above): about 5 s of CPU to
    # fill the 64 MB, so on a machine busy with the rest of the suite the 10 s could end first.
    settings.JICENG_TEMPLATE_SECONDS = 60
    page = {"title": "t", "facts": [{"label": "甲" * 5000, "text": "", "url": ""}] * 3000}
    page["sections"] = []
    wide = "{% for a in facts %}{% for b in facts %}{{ b.label }}{% endfor %}{% endfor %}"
    with pytest.raises(ProcedureError) as refused:
        documents.page_docx(page, base_url="http://x", template=word_template(wide))
    assert "所需内存超过64MB" in refused.value.message


def test_a_document_larger_than_its_bound_is_refused(settings):
    settings.JICENG_TEMPLATE_OUTPUT_MIB = 1
    page = {"title": "t", "facts": [{"label": "甲", "text": "x" * 4000, "url": ""}] * 2000}
    page["sections"] = []
    many = "{% for a in facts %}{% for b in facts %}{{ b.text }}{% endfor %}{% endfor %}"
    settings.JICENG_TEMPLATE_SECONDS = 30
    with pytest.raises(ProcedureError) as refused:
        documents.page_docx(
            {**page, "facts": page["facts"][:40]}, base_url="http://x", template=word_template(many)
        )
    assert "生成的文书超过1MB" in refused.value.message  # unpacked: 6.4 MB of text


def test_templates_stored_before_are_checked_again_and_a_failing_one_disabled(admin_client):
    bad = DocumentTemplate.objects.create(
        key="branch-life", name="old.docx", content=word_template("{{ lipsum.__globals__ }}")
    )
    fine = DocumentTemplate.objects.create(
        key="statistics_report", name="ok.docx", content=word_template("{{ title }}")
    )
    out = io.StringIO()
    call_command("check_templates", stdout=out)
    bad.refresh_from_db()
    fine.refresh_from_db()
    assert not bad.active and "以下划线开头的名称（__globals__）" in bad.problem
    assert fine.active and fine.problem == ""
    assert template_for("branch-life") is None  # the built-in template serves meanwhile
    assert "停用 1 个模板" in out.getvalue()
    listing = admin_client.get(reverse("admin:portal_documenttemplate_changelist")).content.decode()
    assert "以下划线开头的名称（__globals__）" in listing


def test_the_default_word_template_is_a4():
    from docx import Document

    body = documents.page_docx({"title": "空", "facts": [], "sections": []}, base_url="http://x")
    section = Document(io.BytesIO(body)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_font_is_found_before_the_bounded_child_and_a_word_file_needs_none(monkeypatch):
    """Finding the PDF font (and making its 简体 copy the first time, seconds of work) is done
    before the template's child process, whose seconds are the template's; without any CJK
    font a Word file is still made, its font note empty."""
    from portal.public import fontfiles

    made = []
    monkeypatch.setattr(word, "render", lambda content, build: made.append(build(None)) or b"x")
    monkeypatch.setattr(documents, "font_note", lambda: "本文件字体：某字体")
    documents.page_docx({"title": "空", "facts": [], "sections": []}, base_url="http://x")
    assert made[0]["font_note"] == "本文件字体：某字体"

    def missing():
        raise ProcedureError("pdf_font_missing", fontfiles.MSG_NO_FONT, status=503)

    monkeypatch.setattr(documents, "font_note", missing)
    documents.page_docx({"title": "空", "facts": [], "sections": []}, base_url="http://x")
    assert made[1]["font_note"] == ""
