"""No public page or PDF of the demo county carries an ID number, a phone or an address."""

import re
from html.parser import HTMLParser

import pypdfium2
import pytest
from django.urls import reverse

from procedures.people.models import Household, Person
from procedures.publicity import services
from procedures.publicity.models import Notice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (
                name in ("href", "src")
                and value
                and value.startswith("/")
                and not value.startswith("//")
            ):
                self.links.append(value.split("#")[0])


def _crawl(client):
    """Every page reachable from the portal's home without logging in, plus each PDF."""
    seen, queue, pages = set(), [reverse("public:home")], {}
    while queue:
        url = queue.pop()
        # Static files (the style sheet, the read-aloud script) are the same for everyone.
        if url in seen or url.startswith(("/staff/", "/admin/", "/api/", "/elder/", "/static/")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("application/pdf"):
            pages[url] = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
            continue
        body = response.content.decode()
        pages[url] = body
        parser = _Links()
        parser.feed(body)
        queue.extend(parser.links)
    return pages


def test_no_public_page_or_pdf_reveals_personal_data(client):
    # Objections carry the raiser's name and phone: they must stay off public pages too.
    notice = Notice.objects.filter(status="published").first()
    services.objection_submit(
        notice_id=notice.pk,
        text="反映问题内容",
        name="举报人甲",
        phone="13912345678",
        client_key="privacy-test",
    )
    pages = _crawl(client)
    assert (
        sum(url.endswith("notice.pdf") for url in pages)
        == Notice.objects.exclude(status="draft").count()
    )
    secrets = set()
    for person in Person.objects.all():
        secrets.update({person.id_number, person.phone})
    secrets.update(Household.objects.exclude(address="").values_list("address", flat=True))
    secrets.update({"举报人甲", "13912345678"})
    secrets.discard("")
    for url, text in pages.items():
        leaked = [secret for secret in secrets if secret in text]
        assert not leaked, (url, leaked[:3])
        assert not ID_PATTERN.search(text), url
        assert not PHONE_PATTERN.search(text), url
