"""Cross-cutting observers that may fail without harm."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar, rules
from .models import CalendarDay, CalendarYear, RuleSetting


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_edited(**kwargs) -> None:
    calendar.clear_cache()


@receiver([post_save, post_delete], sender=RuleSetting)
def rule_setting_edited(**kwargs) -> None:
    rules.clear_cache()
