from rest_framework import serializers

from procedures.people.models import Organisation, Person
from procedures.publicity import policy
from workflows.notices import Finding
from workflows.privacy import mask_phone


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "parent", "village"]


class PersonSerializer(serializers.ModelSerializer):
    """Masked: the full ID number and phone are never sent by the API."""

    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "education",
            "occupation",
            "phone",
            "standing",
            "organisation",
            "organisation_name",
        ]
        read_only_fields = fields


class ObjectionSerializer(serializers.Serializer):
    """Staff view of an objection: the objector's contact only for those allowed to see it."""

    id = serializers.IntegerField()
    receipt = serializers.CharField()
    text = serializers.CharField()
    received_at = serializers.DateTimeField()
    status = serializers.CharField()
    finding = serializers.CharField()
    verification_note = serializers.CharField()
    explanation = serializers.CharField()
    resolved_on = serializers.DateField()
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    def _show(self, objection) -> bool:
        return policy.may_see_objector_contact(
            self.context["request"].user, objection.notice.village
        )

    def get_name(self, objection) -> str:
        if self._show(objection) or not objection.name:
            return objection.name
        return objection.name[:1] + "*"

    def get_phone(self, objection) -> str:
        return objection.phone if self._show(objection) else mask_phone(objection.phone)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    village = serializers.IntegerField(source="village_id")
    village_name = serializers.CharField(source="village.name")
    status = serializers.CharField()
    public_fields = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField())
    )
    period = serializers.CharField(source="period.describe")
    published_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    provisional_note = serializers.CharField()
    withdrawn_reason = serializers.CharField()
    open_objections = serializers.IntegerField(required=False)


# Blank values pass here and are refused by the service, in its own words.
class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, label="撤回原因")


class VerificationSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, label="核查情况")


class FindingSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=Finding.choices, label="核查结论")
    explanation = serializers.CharField(max_length=2000, allow_blank=True, label="结论说明")
