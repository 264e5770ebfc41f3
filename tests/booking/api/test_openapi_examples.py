"""The OpenAPI document gives an example for every operation: of its success body and of its request body; and
the examples are valid for the models they stand for."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from booking.api import schemas, schemas_availability, schemas_jobs, schemas_reports, schemas_scenarios
from booking.api.schemas_reports import FloorOccupancyRead
from booking.app import create_app
from booking.settings import Settings

MODELS: dict[str, type[BaseModel]] = {
    name: item
    for module in (schemas, schemas_availability, schemas_reports, schemas_scenarios, schemas_jobs)
    for name, item in vars(module).items()
    if isinstance(item, type) and issubclass(item, BaseModel) and item.__module__ == module.__name__
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite://", secret_key="test-secret-key"))
    answer = TestClient(app).get("/openapi.json")  # no request reaches the database
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def component(document: dict[str, Any], ref: str) -> tuple[str, dict[str, Any]]:
    name = ref.removeprefix("#/components/schemas/")
    return name, document["components"]["schemas"][name]


def schema_has_example(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Examples in the schema, in the component it refers to, or in those of its items (a list of a model)."""
    if "examples" in schema or "example" in schema:
        return True
    if "$ref" in schema:
        return "examples" in component(document, schema["$ref"])[1]
    if schema.get("type") == "array" and "items" in schema:
        return schema_has_example(document, schema["items"])
    return False


def media_has_example(document: dict[str, Any], media: dict[str, Any]) -> bool:
    return "example" in media or "examples" in media or schema_has_example(document, media.get("schema", {}))


def test_every_operation_has_examples_of_its_bodies(document: dict[str, Any]) -> None:
    missing = []
    answers = bodies = 0
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("2"):
                continue
            if status == "204":
                assert not response.get("content"), name  # no body, no example needed
                continue
            assert response.get("content"), f"{name}: {status} without a body"
            for media_type, media in response["content"].items():
                answers += 1
                if not media_has_example(document, media):
                    missing.append(f"{name} {status} {media_type}")
        request = operation.get("requestBody")
        for media_type, media in (request or {}).get("content", {}).items():
            bodies += 1
            if not media_has_example(document, media):
                missing.append(f"{name} request {media_type}")
    assert not missing, "no example for: " + ", ".join(missing)
    assert answers >= 35 and bodies >= 10  # the walk found the operations


def test_the_component_examples_are_valid_for_their_models(document: dict[str, Any]) -> None:
    checked = set()
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            assert name in MODELS, f"{name} has examples but no model to check them with"
            MODELS[name].model_validate_json(json.dumps(example))  # as a client would send or receive it
            checked.add(name)
    assert {
        "WhereaboutsRead", "BuildingRead", "ClosureRead", "BlockRead", "ZoneRead", "DeskRead", "UnitRead",
        "UnitWrite", "ReportRead", "OwnerUpdate", "RulesRead",
    } <= checked  # fmt: skip


def test_the_examples_keep_their_nulls(document: dict[str, Any]) -> None:
    """FastAPI leaves ``null`` out of the document; an example without its nulls could be refused."""
    schemas_ = document["components"]["schemas"]
    assert {"owner_id": None} in schemas_["OwnerUpdate"]["examples"]
    assert schemas_["RulesRead"]["examples"][0]["longest_booking_minutes"] is None
    assert schemas_["WhereaboutsRead"]["examples"][1]["desk_id"] is None


def model_of(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The pydantic type a media type's schema stands for: a model, a list of one, or None."""
    if "$ref" in schema:
        return MODELS.get(component(document, schema["$ref"])[0])
    if schema.get("type") == "array" and "items" in schema:
        item = model_of(document, schema["items"])
        return None if item is None else list[item]  # type: ignore[valid-type]
    return None


def test_the_examples_of_requests_and_answers_are_valid(document: dict[str, Any]) -> None:
    """Media-type examples (problems, lists, forms) fit their schema."""
    checked = 0
    for name, operation in operations(document):
        contents = [operation.get("requestBody", {}).get("content", {})]
        contents += [response.get("content", {}) for response in operation["responses"].values()]
        for content in contents:
            for media_type, media in content.items():
                schema = media.get("schema", {})
                examples = [media["example"]] if "example" in media else []
                examples += [e["value"] for e in media.get("examples", {}).values()]
                if "$ref" not in schema:
                    examples += schema.get("examples", [])
                model = model_of(document, schema)
                for example in examples:
                    if model is not None:
                        try:
                            TypeAdapter(model).validate_json(json.dumps(example))
                        except ValidationError as error:
                            pytest.fail(f"{name} {media_type}: {error}")
                    elif "$ref" in schema:  # a form: the fields it has, the ones it needs
                        form = component(document, schema["$ref"])[1]
                        fields = set(example)
                        assert set(form.get("required", ())) <= fields <= set(form["properties"]), (name, media_type)
                    else:
                        continue
                    checked += 1
    assert checked >= 40


def test_the_table_examples_are_one_table(document: dict[str, Any]) -> None:
    content = document["paths"]["/api/reports/{table}"]["get"]["responses"]["200"]["content"]
    as_json = content["application/json"]["example"]
    rows = TypeAdapter(list[FloorOccupancyRead]).validate_python(as_json["floors"])
    as_csv = list(csv.DictReader(io.StringIO(content["text/csv"]["example"])))
    assert [row["floor"] for row in as_csv] == [row.floor for row in rows]
    assert list(as_csv[0]) == list(FloorOccupancyRead.model_fields)
    calendar = document["paths"]["/api/calendar/{token}.ics"]["get"]["responses"]["200"]["content"]
    assert calendar["text/calendar"]["example"].startswith("BEGIN:VCALENDAR\r\n")
