"""Load generation against a running server: wrk (with a Lua script for p95 and the POST
body), or a small threaded Python client when wrk is missing."""

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

CONNECTIONS = 4
THREADS = 2

# wrk prints its own summary; `done` adds the percentiles it lacks (p95) and the errors.
_LUA = """
{request}
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%d p95=%d p99=%d requests=%d duration=%d "
    .. "status_errors=%d socket_errors=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    bad_status: int  # non-2xx/3xx responses
    socket_errors: int
    tool: str


def parse_wrk(output: str) -> Result:
    """wrk's output with the BENCH line of our Lua `done` (latencies in microseconds)."""
    line = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if line is None:
        raise ValueError(f"no BENCH line in wrk output:\n{output}")
    values = {k: int(v) for k, v in (item.split("=") for item in line.group(1).split())}
    rps_match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    rps = (float(rps_match.group(1)) if rps_match
           else values["requests"] / (values["duration"] / 1e6))
    return Result(rps=rps, p50_ms=values["p50"] / 1000, p95_ms=values["p95"] / 1000,
                  p99_ms=values["p99"] / 1000, requests=values["requests"],
                  bad_status=values["status_errors"], socket_errors=values["socket_errors"],
                  tool="wrk")


def _lua_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def run_wrk(url: str, headers: dict, seconds: int, body: str | None = None) -> Result:
    request = ""
    if body is not None:
        request = (f"wrk.method = 'POST'\nwrk.body = {_lua_string(body)}\n"
                   "wrk.headers['Content-Type'] = 'application/x-www-form-urlencoded'\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA.format(request=request))
    try:
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
                   "-s", script.name, url]
        for name, value in headers.items():
            command[1:1] = ["-H", f"{name}: {value}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True,
                                timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    return parse_wrk(output)


def run_python(url: str, headers: dict, seconds: int, body: str | None = None) -> Result:
    """Fallback: CONNECTIONS threads with keep-alive connections, for `seconds`."""
    match = re.match(r"http://([^/:]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    latencies: list[float] = []
    bad = [0]
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    payload = body.encode() if body is not None else None
    send = dict(headers)
    if payload is not None:
        send["Content-Type"] = "application/x-www-form-urlencoded"

    def worker():
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                connection.request("POST" if payload is not None else "GET", path,
                                   body=payload, headers=send)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            with lock:
                latencies.append(time.monotonic() - started)
                if response.status >= 400:
                    bad[0] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 \
            if latencies else 0.0

    return Result(rps=len(latencies) / elapsed, p50_ms=pct(50), p95_ms=pct(95),
                  p99_ms=pct(99), requests=len(latencies), bad_status=bad[0],
                  socket_errors=errors[0], tool="python")


def ensure_wrk() -> bool:
    """wrk on PATH, installing it with apt-get when possible."""
    if shutil.which("wrk"):
        return True
    if shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True)
    return shutil.which("wrk") is not None


class FormParser(HTMLParser):
    """The fields of every <form> of a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._multiple = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        if not self.forms:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options, self._multiple = name, [], "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self.forms[-1].extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].append((self._textarea, self._text.lstrip("\n")))
            self._textarea = None


def form_body(html: str, must_have: str) -> str:
    """The url-encoded body of the page's form that has the field `must_have`."""
    parser = FormParser()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == must_have for name, _ in fields):
            return urlencode(fields)
    raise ValueError(f"no form with a field {must_have!r}")
