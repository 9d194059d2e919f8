"""Debian's nginx, run as this user from a temporary prefix, serving deploy/nginx/provider_dir.conf."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import ssl
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

from provider_dir.config import PROJECT_ROOT
from tests.served import csrf_token, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
SITE = PROJECT_ROOT / "deploy" / "nginx" / "provider_dir.conf"
MAIN_CONF = """\
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def render_site(prefix: Path, upstream_port: int, http_port: int, https_port: int, static_dir: Path) -> str:
    """Return the shipped site with this run's ports, paths and self-signed certificate; nothing else changed."""
    site = SITE.read_text()
    replacements = [
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"/etc/letsencrypt/live/clinics\.example\.org/fullchain\.pem", str(prefix / "cert.pem")),
        (r"/etc/letsencrypt/live/clinics\.example\.org/privkey\.pem", str(prefix / "key.pem")),
        (r"/var/log/nginx/provider_dir\.access\.log", str(prefix / "access.log")),
        (r"alias /srv/provider_dir/provider_dir/static/;", f"alias {static_dir}/;"),
    ]
    for pattern, value in replacements:
        site, count = re.subn(pattern, value, site)
        assert count, f"the shipped nginx site no longer has {pattern!r}"
    return site


class Nginx:
    """nginx in front of a gunicorn port, on free loopback ports; a context manager."""

    def __init__(self, prefix: Path, upstream_port: int):
        self.prefix = prefix
        self.http_port, self.https_port = free_port(), free_port()
        self.upstream_port = upstream_port
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        self.prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - fixed arguments
            [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
             "-keyout", str(self.prefix / "key.pem"), "-out", str(self.prefix / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        site = render_site(self.prefix, self.upstream_port, self.http_port, self.https_port,
                           PROJECT_ROOT / "provider_dir" / "static")  # fmt: skip
        (self.prefix / "site.conf").write_text(site)
        (self.prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=self.prefix))
        prefix = str(self.prefix)
        command = [NGINX, "-p", prefix, "-c", f"{prefix}/nginx.conf", "-e", f"{prefix}/error.log"]
        subprocess.run([*command, "-t"], check=True, capture_output=True)  # noqa: S603 - the shipped config is valid
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                HttpsClient(self, "127.0.0.1").request("GET", "/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise TimeoutError("nginx did not answer in time: " + (self.prefix / "error.log").read_text())

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class HttpsClient:
    """One browser reaching nginx over TLS from a chosen loopback source address, with its own cookies."""

    def __init__(self, nginx: Nginx, source: str):
        self.nginx, self.source = nginx, source
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        """Send one request; return (status, headers, text)."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.nginx.https_port, timeout=30,
                                                 source_address=(self.source, 0), context=self.context)  # fmt: skip
        sent = {"Host": "clinics.example.org", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def log_in(self, email: str, password: str, headers: dict | None = None) -> int:
        """Fill in the log-in form as a browser would; return the status of the POST."""
        _, _, page = self.request("GET", "/login", headers=headers)
        # Over https Flask-WTF also wants a same-site Referer: the app sees https and the public host, through nginx.
        sent = {"Referer": "https://clinics.example.org/login", **(headers or {})}
        status, _, _ = self.request("POST", "/login", {"email": email, "password": password,
                                                       "csrf_token": csrf_token(page)}, headers=sent)  # fmt: skip
        return status
