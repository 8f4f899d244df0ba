from django.core.management.base import BaseCommand
from tqdm import tqdm

from notifications import services
from notifications.models import Delivery


class Command(BaseCommand):
    help = "Put every failed delivery back in line (with progress)."

    def handle(self, *args, **options) -> None:
        failed = list(
            Delivery.objects.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True)
        )
        for delivery_id in tqdm(failed, unit="delivery", disable=not failed):
            services.retry(delivery_id)
        self.stdout.write(self.style.SUCCESS(f"{len(failed)} failed deliveries queued again"))
