"""`perceptron serve` as a child process on a free loopback port, for the checks that talk to it
(Tests/EndToEnd/serve_limits.py, Tests/Browser/draw_digits.py).

    server = ServeProcess(binary, model, "--idle-timeout", "2", data=None)
    url = server.wait_ready()        # http://127.0.0.1:PORT/, or None if it did not start
    ...
    code = server.stop()             # SIGTERM; SIGKILL after 10 s (then None)

Its output, line by line, is kept in `lines` as it comes.
"""

import os
import re
import signal
import subprocess
import threading
import time


class ServeProcess:
    def __init__(self, binary, model, *options, data=None):
        command = [binary, "serve", "--model", model, "--host", "127.0.0.1", "--port", "0", *options]
        if data:
            command += ["--data", data]
        self.lines = []
        self.url = None
        self.port = None
        self.started = time.monotonic()
        self.startup_seconds = float("nan")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            match = re.search(r"at (http://127\.0\.0\.1:(\d+)/)", line)
            if match and not self.url:
                self.url, self.port = match.group(1), int(match.group(2))
                self.startup_seconds = time.monotonic() - self.started
                self.ready.set()
        self.ready.set()

    def wait_ready(self, timeout=30):
        self.ready.wait(timeout)
        return self.url

    def stop(self):
        """SIGTERM (a graceful shutdown), then SIGKILL if it has not ended within 10 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
                return None
        return self.process.returncode
