"""load.py's wrk phases ask for what they say: each new URL once, in order; failures counted as load.py counts them."""

import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.benchmarks.modules import benchmark_module

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")

wrk_driver = benchmark_module("wrk_driver")


class Recorded(BaseHTTPRequestHandler):
    """Answers 200 but for paths ending in /missing (404) and /kept (200 from the page store)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    asked: list[str]

    def do_GET(self):  # noqa: N802 - http.server's name
        self.asked.append(self.path)
        self.send_response(404 if self.path.endswith("/missing") else 200)
        if self.path.endswith("/kept"):
            self.send_header("X-Page-Cache", "hit")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    """Leaves out the traceback of a connection wrk resets when its time is up (it may be mid-request then)."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionResetError):
            super().handle_error(request, client_address)


@pytest.fixture
def server():
    Recorded.asked = []
    httpd = QuietServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_new_urls_are_each_asked_once_in_order(server):
    httpd, base_url = server
    paths = [f"/clinics/c-{n}" for n in range(200_000)]
    phase = wrk_driver.run(base_url, paths, fresh=True, connections=4, seconds=1)
    assert phase.requests > 50 and phase.failures == 0
    assert len(set(Recorded.asked)) == len(Recorded.asked)  # never the same URL twice
    assert sorted(Recorded.asked, key=lambda p: int(p.rsplit("-", 1)[1])) == paths[: len(Recorded.asked)]
    assert phase.p50_ms <= phase.p99_ms and phase.client_cpu >= 0


def test_answers_not_200_and_new_urls_answered_from_the_page_store_are_failures(server):
    _httpd, base_url = server
    paths = ["/clinics/a/missing", "/clinics/b/kept", "/clinics/c"] * 2
    phase = wrk_driver.run(base_url, paths, fresh=True, connections=1, seconds=1)
    # The six URLs, then the list again: the repeats are failures too.
    assert phase.detail["not_ok"] >= 2 and phase.detail["kept"] >= 2
    assert phase.detail["exhausted"] == phase.requests - len(paths)
    assert phase.failures == phase.detail["not_ok"] + phase.detail["kept"] + phase.detail["exhausted"]


def test_known_urls_are_drawn_from_the_list(server):
    _httpd, base_url = server
    paths = ["/search?location=Austin", "/search?location=Reno", "/search?location=Tulsa"]
    phase = wrk_driver.run(base_url, paths, fresh=False, connections=2, seconds=1)
    assert phase.failures == 0 and phase.requests > 10
    assert set(Recorded.asked) == set(paths)
