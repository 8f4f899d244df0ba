from django.contrib import admin

from .models import RobotWebhook


@admin.register(RobotWebhook)
class RobotWebhookAdmin(admin.ModelAdmin):
    """A county's group robots: the address is checked (https, the robot's own host)."""

    list_display = ["name", "county", "kind", "active"]
    list_filter = ["kind", "active"]
