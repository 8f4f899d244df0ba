"""Persons, the positions they hold and the 委托 of a secretary's role."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from workflows.privacy import mask_id_number, mask_phone

from .. import identity, vocabularies
from .organisations import Household, Organisation


class Person(FSMModelMixin, models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("小学及以下")
        JUNIOR = "junior", _("初中")
        SENIOR = "senior", _("高中、中专")
        COLLEGE = "college", _("大专")
        BACHELOR = "bachelor", _("本科")
        POSTGRADUATE = "postgraduate", _("研究生")

    class Occupation(models.TextChoices):
        FARMER = "farmer", _("农民")
        WEALTH_LEADER = "wealth_leader", _("致富能手")
        VETERAN = "veteran", _("退伍军人")
        MIGRANT_WORKER = "migrant_worker", _("外出务工")
        VILLAGE_CADRE = "village_cadre", _("村干部")
        CIVIL_SERVANT = "civil_servant", _("机关干部")
        TEACHER = "teacher", _("教师")
        STUDENT = "student", _("学生")
        SELF_EMPLOYED = "self_employed", _("个体工商户")
        RETIRED = "retired", _("离退休人员")
        OTHER = "other", _("其他")

    class Standing(models.TextChoices):
        MASSES = "masses", _("群众")
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        CANDIDATE = "candidate", _("发展对象")
        PROBATIONARY = "probationary", _("预备党员")
        FULL = "full", _("正式党员")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(
        _("民族"),
        max_length=20,
        default=vocabularies.MAJORITY,
        choices=vocabularies.ETHNICITY_CHOICES,
    )
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("居民身份证号码"), max_length=18, unique=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices)
    occupation = models.CharField(_("职业类别"), max_length=20, choices=Occupation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("所在户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="persons",
        help_text=_(
            "现所在组织：党员、申请人所在党组织；群众为所在村党支部；干部为所在单位。"
            "以往各时期的所属组织见所属组织记录。"
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Changed only by the procedures, through the transitions below.
    standing = FSMField(
        _("政治面貌"), default=Standing.MASSES, choices=Standing.choices, protected=True
    )
    standing_since = models.DateField(_("现政治面貌起始日期"), null=True, blank=True)
    full_member_since = models.DateField(_("党龄起算日（转正日期）"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "standing"])]
        permissions = [("view_personal_data", _("可查看完整身份证号码和电话"))]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the ID number or phone: reprs end up in logs
        return f"<Person {self.pk} {self.name}>"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day: date) -> int:
        """Full years of age on `day` (someone born on 29 February turns a year on 1 March)."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def clean(self) -> None:
        self.id_number = identity.normalise(self.id_number)
        if not self.id_number:
            return
        found = identity.problems(
            self.id_number,
            birth_date=self.birth_date,
            # An unknown sex is refused by its own field, not again as the ID's mismatch.
            male=None if self.gender not in self.Gender.values else self.gender == self.Gender.MALE,
        )
        if found:
            raise ValidationError({"id_number": found})

    # The party standing. Procedures call these through their services, never directly.
    @transition(field=standing, source=Standing.MASSES, target=Standing.APPLICANT)
    def apply(self) -> None:
        pass

    # A member who joined before the county adopted Jiceng, as the county's roll says (his
    # development is on paper, not in a case): registered a full member from that day.
    @transition(field=standing, source=Standing.MASSES, target=Standing.FULL)
    def enrol_from_roll(self, since: date) -> None:
        self.standing_since = since
        self.full_member_since = since

    @transition(field=standing, source=Standing.APPLICANT, target=Standing.ACTIVIST)
    def make_activist(self) -> None:
        pass

    @transition(field=standing, source=Standing.ACTIVIST, target=Standing.CANDIDATE)
    def make_candidate(self) -> None:
        pass

    @transition(field=standing, source=Standing.CANDIDATE, target=Standing.PROBATIONARY)
    def admit(self) -> None:
        pass

    @transition(field=standing, source=Standing.PROBATIONARY, target=Standing.FULL)
    def convert(self) -> None:
        pass

    @transition(
        field=standing,
        source=[Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE],
        target=Standing.MASSES,
    )
    def drop_out(self) -> None:
        pass

    @transition(field=standing, source=Standing.PROBATIONARY, target=Standing.MASSES)
    def cancel_probation(self) -> None:
        pass

    # A step of his development returned or taken back (退回, 撤回): back to the standing
    # the steps that still stand give him.
    @transition(
        field=standing,
        source=[Standing.ACTIVIST, Standing.CANDIDATE, Standing.PROBATIONARY, Standing.FULL],
        target=RETURN_VALUE(
            Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE, Standing.PROBATIONARY
        ),
    )
    def step_back(self, standing: str) -> str:
        return standing


class Position(models.Model):
    class Title(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
        ORGANISATION_MEMBER = "organisation_member", _("组织委员")
        FIRST_SECRETARY = "first_secretary", _("第一书记")
        COMMITTEE_MEMBER = "committee_member", _("支部委员")
        GROUP_LEADER = "group_leader", _("党小组组长")
        ORGANISER = "organiser", _("组织员")
        LIAISON_LEADER = "liaison_leader", _("包村领导")
        LIAISON_CADRE = "liaison_cadre", _("包村干部")
        WORK_TEAM_MEMBER = "work_team_member", _("驻村工作队员")
        COMMITTEE_DIRECTOR = "committee_director", _("村委会主任")
        VILLAGE_CLERK = "village_clerk", _("村文书")
        VILLAGER_REPRESENTATIVE = "villager_representative", _("村民代表")
        STAFF = "staff", _("工作人员")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="positions"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("职务"), max_length=30, choices=Title.choices)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__path", "title", "start_date"]
        indexes = [models.Index(fields=["person", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_("离任日期不能早于任职日期。"),
            )
        ]
        verbose_name = _("职务")
        verbose_name_plural = _("职务")

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_title_display()} {self.person}"

    def held_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Delegation(models.Model):
    """委托: a branch secretary absent for a period hands his role to the deputy secretary
    or the 第一书记 (who chairs the 支部会 only when the secretary is absent: this is the
    record of that absence). Recorded once; ended early by its own act, never edited."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="delegations"
    )
    principal = models.ForeignKey(
        Person, verbose_name=_("委托人（书记）"), on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        Person, verbose_name=_("受托人"), on_delete=models.PROTECT, related_name="delegations"
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    reason = models.CharField(_("事由"), max_length=300)
    ended_on = models.DateField(_("提前结束日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            )
        ]
        verbose_name = _("职责委托")
        verbose_name_plural = _("职责委托")

    def __str__(self) -> str:
        return f"{self.principal} → {self.delegate} {self.starts_on}～{self.last_day}"

    @property
    def last_day(self) -> date:
        return min(self.ends_on, self.ended_on) if self.ended_on else self.ends_on

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.last_day
