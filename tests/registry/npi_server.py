"""A stand-in NPI Registry API on a loopback port: recorded answers, a slow mode and a failing mode."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


# Answers in the API's 2.1 shape, as recorded from npiregistry.cms.hhs.gov (names and numbers are fictional).
def recorded_person(npi: str, first: str, last: str, *, middle: str = "", licence: str = "MD123456",
                    state: str = "NY", deactivated: str = "") -> dict:
    """Return a recorded answer for an individual's NPI."""
    basic = {"first_name": first, "last_name": last, "middle_name": middle, "credential": "M.D.", "status": "A",
             "enumeration_date": "2011-05-04", "last_updated": "2026-10-02"}
    if deactivated:
        basic["deactivation_date"] = deactivated
        basic.pop("status")
    return {"result_count": 1, "results": [{
        "number": int(npi), "enumeration_type": "NPI-1", "basic": basic,
        "taxonomies": [{"code": "207L00000X", "desc": "Anesthesiology", "primary": True, "state": state,
                        "license": licence}],
        "addresses": [{"address_purpose": "LOCATION", "address_1": "1 MAIN ST", "city": "NEW YORK",
                       "state": state, "postal_code": "100010000", "telephone_number": "212-555-0100"},
                      {"address_purpose": "MAILING", "address_1": "PO BOX 1", "city": "ALBANY", "state": "NY",
                       "postal_code": "12201"}],
    }]}


NOT_FOUND = {"result_count": 0, "results": []}


class FakeNpiRegistry:
    """Serve recorded answers by NPI; mode "answer", "slow" (sleeps past any timeout) or "fail" (HTTP 503)."""

    def __init__(self) -> None:
        self.answers: dict[str, dict] = {}
        self.mode = "answer"
        self.delay = 2.0
        self.requests: list[dict] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                registry.requests.append(query)
                if registry.mode == "slow":
                    time.sleep(registry.delay)
                if registry.mode == "fail":
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps(registry.answers.get(query.get("number", ""), NOT_FOUND)).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeNpiRegistry:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
