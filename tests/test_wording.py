"""The API's refusals and the importer's messages in the words of the screen (issue 16)."""

from dashboard.openapi.messages import plain, readable
from dashboard.versions.forms import DefinitionForm
from dashboard.wording import field_words, in_screen_words


def test_a_force_option_becomes_the_pages_button():
    message = (
        "The connector is used by 2 integrations; delete it with force=true only if you "
        "accept breaking them."
    )
    assert in_screen_words(message) == (
        "The connector is used by 2 integrations; use “Force delete” only if you accept "
        "breaking them."
    )
    assert "force=true" not in in_screen_words("change them first, or delete with force=true.")


def test_an_items_field_path_names_the_item():
    assert field_words("actions.listPets.path") == "action listPets: path"
    assert field_words("definitions.Pet") == "definition Pet"
    assert field_words("name") == "name"


def test_a_json_pointer_reads_as_a_path_of_names():
    assert readable("/paths/~1pets~1{id}/get") == "paths › /pets/{id} › get"
    assert readable("/components/schemas/a~0b") == "components › schemas › a~b"
    assert readable("") == ""


def test_schema_keywords_are_left_out_of_validator_messages():
    text = "\"strin\" is not valid under any of the schemas listed in the 'anyOf' keyword"
    assert plain(text) == '"strin" is not one of the values allowed here'


def test_the_definition_form_explains_an_invalid_schema_before_the_api_is_asked():
    form = DefinitionForm(
        {"name": "Pet", "accept": "application/json", "schema": '{"type": "strin"}'},
        json_schema=True,
    )
    assert not form.is_valid()
    assert form.errors["schema"] == [
        'This is not a valid JSON Schema: type: "strin" is not one of the values allowed here.'
    ]
