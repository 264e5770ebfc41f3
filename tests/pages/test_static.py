"""The static files: found in a source checkout (a wheel carries them as booking/static), served at /static."""

from __future__ import annotations

from fastapi.testclient import TestClient

from booking.pages import static_dir


def test_static_files_are_found_and_served(client: TestClient) -> None:
    folder = static_dir()
    assert (folder / "vendor" / "htmx.min.js").is_file()
    assert "Zero-Clause BSD" in (folder / "vendor" / "htmx.LICENSE").read_text(encoding="utf-8")
    response = client.get("/static/css/site.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert client.get("/static/vendor/htmx.min.js").status_code == 200
    assert client.get("/static/nothing.js").headers["content-type"] == "application/problem+json"
