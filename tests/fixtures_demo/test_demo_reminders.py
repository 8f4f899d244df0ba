"""The demo county's overdue case reaches the township's inbox and the SMS file (on the
package's one demo load)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import services, sms
from notifications.models import Delivery, Notification

Kind = Notification.Kind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]


def test_demo_county_overdue_case_reaches_the_township_and_the_sms_file(settings, tmp_path):
    settings.JICENG_SMS_FILE_PATH = str(tmp_path)
    services.sweep(now=timezone.now() + timedelta(minutes=1))
    township = get_user_model().objects.get(username="township")
    assert Notification.objects.filter(recipient=township, kind=Kind.ESCALATED_TOWNSHIP).exists()
    for delivery in Delivery.objects.filter(status="pending", channel="sms")[:5]:
        services.deliver(delivery.pk, final=False)
    assert sms.sent_keys(tmp_path)
