"""A flood of wrong passwords for tests and benchmarks: clients in a process of their own (so that they do not
share a server's interpreter lock, as threads of the test process would), each posting to /api/auth/token as fast
as answers come."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

#: Clients posting wrong passwords until a line arrives on stdin; then it prints their answers' statuses as JSON.
FLOOD = """
import collections, json, sys, threading, httpx
base, clients = sys.argv[1], int(sys.argv[2])
stop, answers, lock = threading.Event(), collections.Counter(), threading.Lock()
def flood():
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            status = client.post('/api/auth/token', data={'username': 'sato', 'password': 'guess'}).status_code
            with lock:
                answers[status] += 1
                if sum(answers.values()) == clients:
                    print('flooding', flush=True)
threads = [threading.Thread(target=flood) for _ in range(clients)]
for t in threads:
    t.start()
sys.stdin.readline()
stop.set()
for t in threads:
    t.join()
print(json.dumps(answers), flush=True)
"""


@contextmanager
def login_flood(base: str, clients: int) -> Iterator[Counter[int]]:
    """``clients`` clients posting wrong passwords for ``sato`` for the block's length (from when the first answers
    have come); the counter of their answers' statuses is filled when the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", FLOOD, base, str(clients)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdin is not None and process.stdout is not None
    answers: Counter[int] = Counter()
    try:
        assert process.stdout.readline().strip() == "flooding"
        yield answers
    finally:
        process.stdin.write("\n")
        process.stdin.flush()
        answers.update({int(k): v for k, v in json.loads(process.stdout.readline()).items()})
        process.wait(60)
