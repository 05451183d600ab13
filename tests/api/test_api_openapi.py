"""The OpenAPI document: public, valid OpenAPI 3, and describing every endpoint."""

from __future__ import annotations

import json

from django.core.management import call_command
from drf_spectacular.validation import validate_schema

PATHS = {
    "/api/v1/referrals/": {"get", "post"},
    "/api/v1/referrals/{referral_id}/": {"get"},
    "/api/v1/cases/": {"get"},
    "/api/v1/cases/{case_id}/": {"get"},
    "/api/v1/children/{child_id}/": {"get", "patch"},
    "/api/v1/children/{child_id}/addresses/": {"post"},
    "/api/v1/children/{child_id}/addresses/{address_id}/": {"patch"},
    "/api/v1/children/{child_id}/carers/": {"post"},
    "/api/v1/children/{child_id}/carers/{carer_id}/": {"patch"},
    "/api/v1/children/{child_id}/risk-factors/": {"post"},
    "/api/v1/children/{child_id}/risk-factors/{risk_factor_id}/": {"patch"},
    "/api/v1/returns/new-pupils/": {"get", "post"},
    "/api/v1/returns/deletions/": {"get", "post"},
    "/api/v1/returns/deletions/{deletion_id}/reinstated/": {"post"},
    "/api/v1/returns/attendance/": {"get", "post"},
    "/api/v1/returns/sickness/": {"get", "post"},
    "/api/v1/cases/{case_id}/enquiries/": {"post"},
    "/api/v1/enquiries/": {"get", "post"},
    "/api/v1/enquiries/{enquiry_id}/": {"get"},
    "/api/v1/enquiries/{enquiry_id}/response/": {"post"},
    "/api/v1/enquiries/{enquiry_id}/letter.pdf": {"get"},
}


def _schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/")
    return json.loads(response.content)


def test_the_document_is_public_valid_openapi_3(client, db) -> None:
    schema = _schema(client)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises if it does not meet the OpenAPI 3 JSON schema


def test_every_endpoint_and_method_is_described(client, db) -> None:
    schema = _schema(client)
    got = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    assert got == PATHS


def test_every_operation_needs_a_token_or_session_and_documents_its_errors(client, db) -> None:
    schema = _schema(client)
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `cme create-api-token USERNAME --name NAME`.",
    }
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            schemes = {name for requirement in op["security"] for name in requirement}
            assert "bearerAuth" in schemes, (path, method)
            assert {} not in op["security"], (path, method)  # no anonymous access
            assert {"401", "403", "404"} <= set(op["responses"]), (path, method)


def test_referral_input_is_described_field_by_field(client, db) -> None:
    components = _schema(client)["components"]["schemas"]
    referral = components["ReferralInputRequest"]
    assert set(referral["required"]) == {"reason", "received_on", "child"}
    assert set(referral["properties"]) == {
        "route",
        "reason",
        "received_on",
        "child",
        "details",
        "referrer",
        "school_urn",
    }
    child = components["ChildInputRequest"]["properties"]
    assert set(child) == {
        "forename",
        "middle_names",
        "surname",
        "date_of_birth",
        "sex",
        "upn",
        "address_line_1",
        "town",
        "postcode",
    }


def test_no_parameter_carries_personal_data(client, db) -> None:
    """Ids in paths, page and status in query strings: nothing about a child in a URL. The
    one header is the Idempotency-Key the caller makes up for a request (cme.api.idempotency)."""
    schema = _schema(client)
    names = {
        (p["in"], p["name"])
        for ops in schema["paths"].values()
        for op in ops.values()
        for p in op.get("parameters", [])
    }
    assert names == {
        ("path", "referral_id"),
        ("path", "case_id"),
        ("path", "child_id"),
        ("path", "enquiry_id"),
        ("path", "deletion_id"),
        ("path", "address_id"),
        ("path", "carer_id"),
        ("path", "risk_factor_id"),
        ("query", "page"),
        ("query", "status"),
        ("header", "Idempotency-Key"),
    }


def test_schema_generation_gives_no_warnings(tmp_path, db) -> None:
    """drf-spectacular's own check: every view and field resolves to a documented type."""
    out = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", out
    )
    assert json.loads(out.read_text())["info"]["title"] == "CME Register API"


def test_the_enquiry_inputs_are_the_issues_contract(client, db) -> None:
    components = _schema(client)["components"]["schemas"]
    enquiry = components["EnquiryInputRequest"]
    assert set(enquiry["properties"]) == {
        "kind",
        "recipient_laestab",
        "recipient_la_code",
        "recipient_email",
        "due_on",
    }
    assert enquiry["required"] == ["kind"]
    response = components["ResponseInputRequest"]
    ref = response["properties"]["outcome"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    outcomes = set(components[ref]["enum"])
    assert {"on_roll", "left", "application_received", "not_known", "known_to_cme"} <= outcomes
