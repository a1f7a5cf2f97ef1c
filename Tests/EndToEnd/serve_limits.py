#!/usr/bin/env python3
"""`perceptron serve` as a careless client and an attacker would try it, over real sockets on loopback.

    python3 Tests/EndToEnd/serve_limits.py --binary .build/release/perceptron --model MODEL [--only NAME...]

Starts the binary (`--port 0`, on a free loopback port; short timeouts so that nothing here waits
long) and checks, one line each:
  - every refused request gets its status, `Connection: close`, a JSON `{"error": …}` naming the
    problem, the socket closed by the server, and one line in the server's log: a header line or
    all headers too large (431), a URL too long (414), a bad or doubled Content-Length (400), an
    unknown method (501), another HTTP version (505), no Host (400), another Host (421), a POST not
    said to be JSON (415), a key given twice (400), a body over 1 MB by its Content-Length or while
    read (413); the API's refusals of a body (415, 400) keep the connection for the next request;
  - a Host added with --allow-host, and localhost, 127.0.0.1 and [::1] with the port, are served;
  - uploads abandoned in the middle of their body (the client closes or resets) are logged once
    each, at info, and never as a 500;
  - the server closes: a connection that sends nothing (at the header timeout), a head that stops
    (408 at the header timeout), a body that stops (408 at the body timeout), an idle kept-alive
    connection (at the idle timeout, not before);
  - the cap: over --max-connections, silent connections make room for a new client, and when every
    connection is busy a new one is refused at once with 503 and JSON;
  - large images decode away from the threads that answer: /healthz answers within 100 ms (95 % of
    the time, and always within 500 ms, on a busy machine) while 60 uploads of a 2048 x 2048 PNG
    are read;
  - a half-open flood, 2,000 connections opened and left silent: /healthz answers each time within
    100 ms during it, the server never holds more descriptors than its cap allows, every flood
    connection is closed by the server within its header timeout, and afterwards its RSS is back
    within 20 MB of before.

Ends with `serve-limits: N passed, M failed`; exits 1 if a check failed, 2 if the server did not start.
"""

import argparse
import base64
import json
import os
import random
import re
import select
import socket
import struct
import sys
import threading
import time
import zlib

from serve_process import ServeProcess

passed = failed = 0


def check(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS  {name}" + (f": {detail}" if detail else ""))
    else:
        failed += 1
        print(f"FAIL  {name}" + (f"\n      {detail}" if detail else ""))
    sys.stdout.flush()
    return ok


class Server(ServeProcess):
    """`perceptron serve` with `options`, started and waited for; its memory, descriptors and log."""

    def __init__(self, binary, model, *options):
        super().__init__(binary, model, *options)
        if self.wait_ready() is None:
            self.stop()
            print("serve-limits: the server did not start:\n" + "\n".join(self.lines[-10:]))
            sys.exit(2)

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def descriptors(self):
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def log_lines(self, pattern, settle=0.3):
        time.sleep(settle)  # the log is written as the requests end
        return [line for line in self.lines if re.search(pattern, line)]


def connect(port, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def read_answer(s, timeout=5):
    """(status, headers, body, closed): one answer, and whether the server closed the socket after it."""
    s.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else None
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        body, extra = rest[:length], rest[length:]
        closed = closed_by_server(s, timeout) if not extra else False
        return status, headers, body, closed
    except (socket.timeout, ConnectionResetError, OSError) as error:
        return None, {}, repr(error).encode(), False


def closed_by_server(s, timeout):
    """Whether the server closes the socket (EOF or reset) within `timeout` seconds, reading and
    dropping anything before that."""
    deadline = time.monotonic() + timeout
    s.settimeout(0.1)
    while time.monotonic() < deadline:
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def error_of(body):
    try:
        value = json.loads(body)
        return value.get("error") if isinstance(value, dict) else None
    except ValueError:
        return None


def request(method, path, port, headers=(), body=b"", host=None):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", *headers]
    if body and not any(h.lower().startswith(("content-length", "transfer-encoding")) for h in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def ring_pixels():
    pixels = []
    for i in range(784):
        x, y = i % 28 - 13.5, i // 28 - 13.5
        r = ((x / 6) ** 2 + (y / 9) ** 2) ** 0.5
        pixels.append(1 if abs(r - 1) < 0.2 else 0)
    return pixels


def png(width, height, rows):
    """A greyscale 8-bit PNG whose rows (bytes each) are given."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def healthz_ms(port):
    """The time of one GET /healthz on a new connection, in ms (inf if it failed)."""
    start = time.monotonic()
    try:
        s = connect(port, timeout=5)
        s.sendall(request("GET", "/healthz", port, ["Connection: close"]))
        status, _, body, _ = read_answer(s, timeout=5)
        s.close()
        return (time.monotonic() - start) * 1000 if status == 200 and b"ok" in body else float("inf")
    except OSError:
        return float("inf")


# MARK: The checks


def refusals(server):
    port = server.port
    pixels = json.dumps({"pixels": ring_pixels()}).encode()
    json_type = "Content-Type: application/json"
    cases = [
        ("a header line over 8 KB", request("GET", "/healthz", port, ["X-Big: " + "a" * 9000]), 431, "headers are too large"),
        ("headers over 32 KB in all", request("GET", "/healthz", port, [f"X-{i}: " + "b" * 7000 for i in range(5)]), 431, "32 KB"),
        ("120 header fields", request("GET", "/healthz", port, [f"X-{i}: 1" for i in range(120)]), 431, "100 fields"),
        ("a URL over 8 KB", request("GET", "/healthz?" + "q" * 9000, port), 414, "URL is longer"),
        ("a URL of 1 MB", request("GET", "/healthz?" + "q" * (1 << 20), port), 414, "URL is longer"),
        ("Content-Length: ten", request("POST", "/api/predict", port, [json_type, "Content-Length: ten"]), 400, "Content-Length"),
        ("Content-Length twice", request("POST", "/api/predict", port, [json_type, "Content-Length: 3", "Content-Length: 4"], b"abcd"),
         400, "length twice"),
        ("an unknown method", request("BREW", "/healthz", port), 501, "method"),
        ("HTTP/2.0", b"GET /healthz HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505, "HTTP/1.1"),
        ("no Host", b"GET /healthz?case=nohost HTTP/1.1\r\n\r\n", 400, "no Host"),
        ("another Host (DNS rebinding)", request("GET", "/api/model?case=rebind", port, host=f"attacker.example:{port}"), 421,
         "attacker.example"),
        ("a POST without Content-Type", request("POST", "/api/predict?case=notype", port, [], pixels), 415, "Content-Type"),
        ("a POST of text/plain", request("POST", "/api/predict?case=text", port, ["Content-Type: text/plain"], pixels), 415,
         "text/plain"),
        ('two "pixels"', request("POST", "/api/predict?case=dup", port, [json_type], pixels[:-1] + b', "pixels": [0]}'), 400,
         "appears twice"),
        ("a body of 5 MB by Content-Length, sent anyway", request("POST", "/api/predict?case=big", port,
                                                                 [json_type, "Content-Length: 5000000"]) + b"1" * 200_000,
         413, "1 MB"),
        ("a chunked body over 1 MB", request("POST", "/api/predict?case=chunks", port, [json_type, "Transfer-Encoding: chunked"])
         + b"".join(b"10000\r\n" + b"1" * 0x10000 + b"\r\n" for _ in range(20)), 413, "1 MB"),
    ]
    keeps_open = {"notype", "text", "dup"}  # an API's refusal of a body keeps the connection
    for name, data, status, says in cases:
        s = connect(port)
        local_port = s.getsockname()[1]
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before all was sent: read the answer
        marker = re.search(r"case=(\w+)", data[:200].decode("latin-1"))
        kept = marker is not None and marker.group(1) in keeps_open
        if kept:
            got, headers, body, _ = read_kept(s)
            s.sendall(request("GET", "/healthz", port))
            again, _, _, _ = read_kept(s)
            closed = again == 200  # (kept open: the next request on it is served)
        else:
            got, headers, body, closed = read_answer(s)
        s.close()
        message = error_of(body) or ""
        pattern = rf"case={marker.group(1)}\b" if marker else rf"127\.0\.0\.1:{local_port} {status}:"
        logged = server.log_lines(pattern, settle=0.05)
        closing = headers.get("connection") == "close"
        ok = (got == status and closing != kept and headers.get("content-type", "").startswith("application/json")
              and says in message and closed and len(logged) == 1)
        what = "the connection kept for the next request" if kept else "closed"
        check(ok, f"{name}: {status} with a JSON reason, {what}, logged once",
              f"{got} {what}={closed} logged={len(logged)} {message!r}" if ok is False else f"\"{message}\"")


def read_kept(s):
    """One answer on a connection that stays open: (status, headers, body, None)."""
    s.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return None, {}, data, None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(rest) < int(headers.get("content-length", "0")):
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return int(lines[0].split()[1]), headers, rest, None


def allowed_hosts(server):
    port = server.port
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost", f"digits.example:{port}",
                 f"DIGITS.example:{port}"]:
        s = connect(port)
        s.sendall(request("GET", "/api/model", port, ["Connection: close"], host=host))
        status, _, body, _ = read_answer(s)
        s.close()
        check(status == 200 and b"architecture" in body, f"Host {host} is served", f"{status}")


def aborted_uploads(server):
    port = server.port
    before = len(server.log_lines(r"abandoned", settle=0))
    for k in range(40):
        s = connect(port)
        s.sendall(request("POST", f"/api/predict?abort={k}", port, ["Content-Type: application/json", "Content-Length: 100000"])
                  + b'{"pixels": [0, 0, 0')
        time.sleep(0.01)
        if k % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset
        s.close()
    time.sleep(1)
    lines = [line for line in server.lines if "abort=" in line]
    abandoned = [line for line in lines if "abandoned after" in line and "closed the connection before its body" in line]
    bad = [line for line in server.lines if re.search(r"\b500\b|unexpected error|error ", line)]
    check(len(abandoned) - before == 40 and len(lines) == 40 and not bad,
          "40 uploads abandoned mid-body (20 closed, 20 reset): one info line each, no 500",
          f"{len(abandoned)} abandoned lines of {len(lines)}; bad: {bad[:3]}")


def timeouts(server, header, body, idle):
    port = server.port
    # Nothing sent: closed at the header timeout, without an answer.
    s = connect(port)
    start = time.monotonic()
    closed = closed_by_server(s, header + 3)
    elapsed = time.monotonic() - start
    check(closed and header - 0.2 <= elapsed <= header + 1.5, f"a silent connection is closed at the header timeout ({header} s)",
          f"after {elapsed:.2f} s")
    # Half a head: 408.
    s = connect(port)
    s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
    start = time.monotonic()
    status, headers, answer, closed = read_answer(s, header + 3)
    elapsed = time.monotonic() - start
    check(status == 408 and closed and "header" in (error_of(answer) or "") and elapsed <= header + 1.5,
          "a head that stops is answered 408 with JSON and closed at the header timeout", f"{status} after {elapsed:.2f} s")
    # A body that stops: 408.
    s = connect(port)
    s.sendall(request("POST", "/api/predict", port, ["Content-Type: application/json", "Content-Length: 5000"]) + b'{"pixels": [')
    start = time.monotonic()
    status, headers, answer, closed = read_answer(s, body + 3)
    elapsed = time.monotonic() - start
    check(status == 408 and closed and "body" in (error_of(answer) or "") and body - 0.2 <= elapsed <= body + 1.5,
          f"a body that stops is answered 408 with JSON and closed at the body timeout ({body} s)", f"{status} after {elapsed:.2f} s")
    # An idle kept-alive connection: open until the idle timeout, closed by it.
    s = connect(port)
    s.sendall(request("GET", "/healthz", port))
    status = read_kept(s)[0]
    time.sleep(idle * 0.7)
    s.sendall(request("GET", "/healthz", port))  # before the idle timeout: served, and the wait starts again
    status2 = read_kept(s)[0]
    start = time.monotonic()
    closed = closed_by_server(s, idle + 3)
    elapsed = time.monotonic() - start
    check(status == 200 and status2 == 200 and closed and idle - 0.2 <= elapsed <= idle + 1.5,
          f"an idle kept-alive connection serves requests, then is closed at the idle timeout ({idle} s)",
          f"{status}, {status2}, closed after {elapsed:.2f} s")


def cap(server, maximum):
    port = server.port
    silent = [connect(port) for _ in range(maximum + 10)]
    time.sleep(0.3)
    ms = healthz_ms(port)
    gone = sum(closed_by_server(s, 0.3) for s in silent)
    check(ms < 100 and gone >= 10, f"{maximum + 10} silent connections over a cap of {maximum}: the oldest make room, /healthz answers",
          f"{gone} closed to make room, /healthz in {ms:.1f} ms")
    for s in silent:
        s.close()
    time.sleep(0.3)
    busy = []
    for _ in range(maximum):
        s = connect(port)
        s.sendall(request("POST", "/api/predict", port, ["Content-Type: application/json", "Content-Length: 5000"]) + b"{")
        busy.append(s)
    time.sleep(0.3)
    start = time.monotonic()
    s = connect(port)
    status, headers, body, closed = read_answer(s)
    elapsed = (time.monotonic() - start) * 1000
    check(status == 503 and closed and "--max-connections" in (error_of(body) or "") and elapsed < 1000,
          f"{maximum} busy connections: a new one is refused at once with 503 and JSON", f"{status} in {elapsed:.0f} ms")
    for s in busy:
        s.close()


def large_images(server):
    port = server.port
    rng = random.Random(3)
    side = 2048
    rows = []
    for y in range(side):  # white paper, a dark ring, light noise: about 40 KB as PNG
        row = bytearray(255 - rng.randrange(0, 3) for _ in range(side)) if y % 16 == 0 else bytearray(b"\xff" * side)
        for x in range(side // 3, 2 * side // 3):
            dx, dy = (x - side / 2) / (side / 6), (y - side / 2) / (side / 4)
            if abs((dx * dx + dy * dy) ** 0.5 - 1) < 0.06:
                row[x] = 0
        rows.append(bytes(row))
    image = png(side, side, rows)
    body = json.dumps({"image": base64.b64encode(image).decode()}).encode()
    data = request("POST", "/api/predict?big=1", port, ["Content-Type: application/json", "Connection: close"], body)
    results = []

    def upload():
        s = connect(port, timeout=60)
        s.sendall(data)
        results.append(read_answer(s, 60)[0])
        s.close()
    threads = [threading.Thread(target=upload) for _ in range(60)]
    for t in threads:
        t.start()
    times = []
    while any(t.is_alive() for t in threads):
        times.append(healthz_ms(port))
        time.sleep(0.02)
    for t in threads:
        t.join()
    times.sort()
    p95, worst = (times[int(len(times) * 0.95)], times[-1]) if times else (float("inf"), float("inf"))
    check(results.count(200) == 60 and p95 < 100 and worst < 500,
          f"60 uploads of a {len(image) // 1024} KB PNG of {side} x {side}: /healthz answers within 100 ms (95 %) meanwhile",
          f"{results.count(200)} answered 200; /healthz {len(times)} times, median {times[len(times) // 2]:.1f} ms, "
          f"95 % {p95:.1f} ms, at worst {worst:.1f} ms")


def flood(server, header, maximum):
    port = server.port
    for _ in range(50):  # warm: every path taken once, then the memory it keeps
        healthz_ms(port)
    time.sleep(1)
    before = server.rss_mb()
    sockets, times, most = [], [], 0
    start = time.monotonic()
    for k in range(2000):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        sockets.append(s)
        if k % 100 == 99:
            times.append(healthz_ms(port))
            most = max(most, server.descriptors())
    opened = time.monotonic() - start
    for _ in range(10):
        times.append(healthz_ms(port))
        most = max(most, server.descriptors())
        time.sleep(0.05)
    during = server.rss_mb()
    # Every flood connection is closed by the server within the header timeout (or sooner, to make room).
    deadline = time.monotonic() + header + 2
    poller = select.poll()
    by_fd = {s.fileno(): s for s in sockets}
    for fd in by_fd:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    open_ones = set(by_fd)
    while open_ones and time.monotonic() < deadline:
        for fd, _ in poller.poll(200):
            try:
                if by_fd[fd].recv(1024):
                    continue
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                pass
            open_ones.discard(fd)
            poller.unregister(fd)
    waited = time.monotonic() - start
    for s in sockets:
        s.close()
    time.sleep(2)
    after = server.rss_mb()
    worst = max(times)
    check(worst < 100, "a flood of 2,000 silent connections: /healthz answers within 100 ms throughout",
          f"{len(times)} times, at worst {worst:.1f} ms (2,000 opened in {opened:.1f} s)")
    check(most <= maximum + 100, f"the server holds at most its cap of {maximum} connections' descriptors",
          f"at most {most} descriptors open")
    check(not open_ones, f"every flood connection is closed by the server within its header timeout ({header} s)",
          f"{len(open_ones)} still open after {waited:.1f} s")
    check(after - before <= 20, "after the flood the server's memory is back within 20 MB",
          f"RSS {before:.1f} MB before, {during:.1f} MB during, {after:.1f} MB after")
    ms = healthz_ms(port)
    check(ms < 100, "the server still answers after the flood", f"/healthz in {ms:.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--only", nargs="*", help="some of: refusals hosts aborts timeouts cap images flood")
    args = parser.parse_args()
    only = set(args.only or ["refusals", "hosts", "aborts", "timeouts", "cap", "images", "flood"])

    header, body, idle = 1.5, 2, 1.5
    main_server = Server(args.binary, args.model, "--header-timeout", str(header), "--body-timeout", str(body),
                         "--idle-timeout", str(idle), "--allow-host", "digits.example")
    try:
        if "refusals" in only:
            refusals(main_server)
        if "hosts" in only:
            allowed_hosts(main_server)
        if "aborts" in only:
            aborted_uploads(main_server)
        if "timeouts" in only:
            timeouts(main_server, header, body, idle)
        if "images" in only:
            large_images(main_server)
    finally:
        main_server.stop()
    if "cap" in only:
        capped = Server(args.binary, args.model, "--max-connections", "20")
        try:
            cap(capped, 20)
        finally:
            capped.stop()
    if "flood" in only:
        flooded = Server(args.binary, args.model, "--header-timeout", "4")
        try:
            flood(flooded, 4, 1024)
        finally:
            flooded.stop()
    print(f"\nserve-limits: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
