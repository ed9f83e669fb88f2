"""A real Jupyter server in a course folder, nbgrader's formgrader extension enabled (as installed), configured by the
course's nbgrader_config.py only: the instructor's (or a grader's) `jupyter server` in the course folder, reached
with its token."""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext

# Seconds the formgrader's server may take to start, or to serve a page: a hang guard, never a measured time.
SERVER_TIMEOUT = 600


@dataclass(frozen=True)
class JupyterServer:
    url: str
    token: str


MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"  # where the formgrader's own pages load it from


def logged_in(browser: Browser, server: JupyterServer, viewport: dict) -> BrowserContext:
    """The instructor, logged in to Jupyter with the token, in a browser context of their own with no internet (the
    formgrader's MathJax fails at once): the login cookie and the _xsrf cookie are set."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(SERVER_TIMEOUT * 1000)  # instead of Playwright's 30 s
    context.route(f"{MATHJAX}**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{server.url}/login?next=/formgrader/")
    page.fill("#password_input", server.token)
    page.click("#login_submit")
    page.wait_for_url(lambda url: "/formgrader/" in url)
    assert any(cookie["name"] == "_xsrf" for cookie in context.cookies()), "no _xsrf cookie after logging in"
    page.close()
    return context


def submission_views(instructor: BrowserContext, server: JupyterServer, assignment: str, notebook: str) -> dict[str, str]:
    """The URL of each student's manual-grading view, as the formgrader's Manual Grading list links them."""
    listing = instructor.request.get(f"{server.url}/formgrader/api/submitted_notebooks/{assignment}/{notebook}")
    assert listing.ok, listing.text()
    return {entry["student"]: f"{server.url}/formgrader/submissions/{entry['id']}/" for entry in listing.json()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(course_root: Path, home: Path) -> Iterator[JupyterServer]:
    """A Jupyter server started in `course_root`, its configuration, runtime files and log in `home`; stopped at
    the end of the block."""
    token, port = secrets.token_hex(16), free_port()
    environment = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run"),
                   "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    log = home / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyter"), "server", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
             "--ServerApp.allow_root=True"],  # CI runs as root
            cwd=course_root, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, url, token, log)
        yield JupyterServer(url, token)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(server: subprocess.Popen, url: str, token: str, log: Path) -> None:
    status = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"jupyter server exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(status, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"jupyter server not answering at {url} after {SERVER_TIMEOUT} s:\n{log.read_text()[-3000:]}")
