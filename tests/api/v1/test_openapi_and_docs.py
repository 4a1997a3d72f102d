"""The OpenAPI 3.1 document is valid and describes every error as a problem; the docs page
works offline and under the app's Content-Security-Policy (every asset it names is served
from this app, and it has no inline script)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import openapi_spec_validator
import pytest

from healthcareplus.api import create_api
from healthcareplus.api.security_headers import SecurityHeaders
from healthcareplus.domain.reports import download_links as links
from tests.api.v1.conftest import PROBLEM_JSON, V1, TestClient

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client) -> dict:
    response = client.get(f"{V1}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi_3_1(document) -> None:
    assert document["openapi"] == "3.1.0"
    openapi_spec_validator.validate(document)  # raises on any violation of the 3.1 schema


def test_the_document_describes_the_api(document) -> None:
    assert document["info"]["title"] == "HealthCarePlus API"
    assert document["servers"] == [{"url": V1, "description": "This installation"}]
    assert set(document["paths"]) >= {
        "/auth/token",
        "/auth/refresh",
        "/auth/logout",
        "/me",
        "/cities",
        "/cities/{city_id}",
        "/cities/{city_id}/hospitals",
        "/hospitals",
        "/hospitals/{hospital_id}",
        "/specializations",
        "/doctors",
        "/doctors/{doctor_id}",
        "/doctors/{doctor_id}/availability",
        "/doctors/{doctor_id}/slots",
        "/symptoms/match",
        "/admin/api-keys",
        "/admin/api-keys/{key_id}",
    }
    schemes = document["components"]["securitySchemes"]
    assert schemes["OAuth2Password"]["flows"]["password"]["tokenUrl"] == f"{V1}/auth/token"
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["ApiKey"]["description"],
    }
    me = document["paths"]["/me"]["get"]
    assert me["security"] == [{"OAuth2Password": []}, {"ApiKey": []}]
    assert "security" not in document["paths"]["/doctors"]["get"]  # public
    params = {p["name"] for p in document["paths"]["/doctors"]["get"]["parameters"]}
    assert params == {
        "q", "city_id", "hospital_id", "specialization", "specializations", "gender",
        "min_experience", "max_fee_rupees", "available_on", "sort", "limit", "cursor",
    }  # fmt: skip
    schemas = document["components"]["schemas"]
    for name in ("Problem", "City", "Hospital", "DoctorSummary", "SlotOut", "TokenResponse", "Me"):
        assert schemas[name].get("examples"), name
    assert "HTTPValidationError" not in schemas


def test_every_error_answer_is_a_problem(document) -> None:
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) >= 19
    for path, method, operation in operations:
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (path, method)
        assert "429" in responses and "401" in responses, (path, method)
        for code, answer in responses.items():
            if code.startswith(("4", "5")):
                assert list(answer["content"]) == [PROBLEM_JSON], (path, method, code)
                schema = answer["content"][PROBLEM_JSON]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}
        takes_input = operation.get("parameters") or operation.get("requestBody")
        assert ("422" in responses) == bool(takes_input), (path, method)
        assert operation.get("summary") and operation.get("description"), (path, method)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.inline_scripts = 0
        self.openapi = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.assets.append(found["src"] or "")
            else:
                self._in_script = True
        if tag == "link" and found.get("href"):
            self.assets.append(found["href"] or "")
        if found.get("data-openapi-url"):
            self.openapi = found["data-openapi-url"] or ""
        if any(name.startswith("on") for name in found):
            self.inline_scripts += 1  # an event handler attribute is inline script too

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def test_the_docs_page_is_served_whole_by_this_app(db_url) -> None:
    with TestClient(SecurityHeaders(create_api())) as client:  # as Reflex wraps it
        page = client.get(f"{V1}/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "script-src 'self' 'unsafe-eval' " in policy and "sha256-" not in policy
        parsed = _Page()
        parsed.feed(page.text)
        assert parsed.inline_scripts == 0
        assert not re.search(r"(?i)(src|href)=\"(https?:)?//", page.text)  # nothing off-site
        assert sorted(parsed.assets) == sorted(
            f"{V1}/docs/assets/{name}"
            for name in ("favicon.png", "swagger-ui.css", "swagger-ui-bundle.js", "swagger-init.js")
        )
        kinds = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}
        for url in parsed.assets:
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["content-type"].startswith(kinds[url[url.rindex(".") :]]), url
            assert asset.headers["x-content-type-options"] == "nosniff"
            assert len(asset.content) > 1000 or url.endswith("swagger-init.js")
        assert "SwaggerUIBundle" in client.get(f"{V1}/docs/assets/swagger-init.js").text
        assert parsed.openapi == f"{V1}/openapi.json"
        assert client.get(parsed.openapi).json()["openapi"] == "3.1.0"
        assert client.get(f"{V1}/docs/assets/../app.py").status_code == 404
        assert client.get(f"{V1}/docs/assets/secrets.json").status_code == 404


def test_the_export_downloads_still_answer_beside_the_api(client) -> None:
    response = client.get("/api/admin/exports/appointments.csv")
    assert response.status_code == 403 and response.json() == {"detail": links.INVALID}
