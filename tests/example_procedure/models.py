from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from procedures.people.models import Organisation

from .steps import BOOK, Status


class Letter(ConcurrentTransitionMixin, models.Model):
    """The whole lifecycle reads here: each transition made from its step's record."""

    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    title = models.CharField(_("来信事由"), max_length=200)
    received_on = models.DateField(_("收到日期"))
    status = FSMField(_("状态"), default=Status.RECEIVED, choices=Status.choices, protected=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)

    class Meta:
        verbose_name = _("群众来信")
        verbose_name_plural = _("群众来信")

    def __str__(self) -> str:
        return self.title

    @BOOK.transition("answer")
    def answer(self):
        pass

    @BOOK.transition("close")
    def close(self):
        pass
