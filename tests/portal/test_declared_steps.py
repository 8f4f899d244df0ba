"""Every surface of a step is built from the procedure's one declaration: the staff form's
fields, the API body, and the OpenAPI schema's body for that step name the same fields."""

from dataclasses import replace

import pytest
from drf_spectacular.generators import SchemaGenerator

from portal.surfaces import step_inputs
from procedures.branchlife import subjects as branchlife
from procedures.membership import subjects as membership
from procedures.village import subjects as village
from workflows.inputs import Kind

# Every procedure's subjects, all on the portal's generic adapter (portal/surfaces/).
PROCEDURES = [
    (subject["prefix"], f"/api/s/{subject['key']}/{{id}}/steps/", subject["inputs"])
    for subject in (*membership.SUBJECTS, *village.SUBJECTS, *branchlife.SUBJECTS)
]


class _Subject:
    """The form's option lists need a subject; their names and kinds do not."""


def _form_names(declared) -> set[str]:
    names = set()
    for field in declared.fields:
        if field.kind == Kind.VOTES:
            names |= {f"{field.name}_{vote}" for vote, _label in field.choices}
        else:
            names.add(field.name)
    return names


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("prefix", "path", "table"), PROCEDURES)
def test_form_api_and_schema_take_the_declared_fields(prefix, path, table, schema):
    for code, declared in table.items():
        declared_names = {field.name for field in declared.fields}
        serializer = step_inputs.serializer_for(prefix, declared)
        assert set(serializer().fields) == declared_names, code
        # The staff form: option lists are not needed to compare names.
        fields = tuple(replace(field, options=None) for field in declared.fields)
        no_options = replace(declared, fields=fields)
        form = set()  # the names the form posts (a written vote: one per vote)
        for item in step_inputs.form_fields(no_options, _Subject()):
            if item["type"] == "votes":
                form |= {f"{item['name']}_{vote}" for vote, _label in item["choices"]}
            else:
                form.add(item["name"])
        assert form == _form_names(declared), code
        operation = schema["paths"][f"{path}{code}/"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(component["properties"]) == declared_names, code
        required = {f.name for f in declared.fields if f.required}
        assert set(component.get("required", [])) == required, code
