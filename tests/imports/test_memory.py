"""Reading a large export keeps memory flat: measured in a fresh process, reported, bounded.

The exports are generated in a temporary folder (tests/imports/export_gen.py). Each reader
runs in a subprocess twice: once plain, for the peak resident set while reading
(/proc/self/status VmHWM, reset through /proc/self/clear_refs), and once under tracemalloc,
for the peak of Python allocations. json.load of the 50 MB export peaks near 320 MB; the
streaming readers add well under one. Throughput is printed, never asserted.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imports.export_gen import write_account, write_single_chat, write_whatsapp

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
LIMIT = 50 * MB

MEASURE = """
import json, sys, time, tracemalloc
from compliance.imports import telegram, whatsapp

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field + ":"))

reader, path, traced = sys.argv[1], sys.argv[2], sys.argv[3] == "traced"
read = {"telegram": telegram.read_messages, "whatsapp": whatsapp.read_messages}[reader]
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak resident set (VmHWM) to the current one
except OSError:
    pass  # then the peak also covers the imports: still a bound
before = status("VmRSS")
if traced:
    tracemalloc.start()
start = time.perf_counter()
count = sum(1 for _ in read(path))
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if traced else None
print(json.dumps({"messages": count, "seconds": seconds, "traced_peak": peak, "rss_before": before,
                  "rss_peak": status("VmHWM")}))
"""


def measure(reader: str, path: Path, traced: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, reader, str(path), "traced" if traced else "plain"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize(("reader", "write", "size"), [
    ("telegram", write_single_chat, 50 * MB),
    ("telegram", write_account, 10 * MB),
    ("whatsapp", write_whatsapp, 10 * MB),
])
def test_reading_large_export_keeps_memory_bounded(tmp_path, capsys, reader, write, size):
    path = tmp_path / "export"
    expected = write(path, size)
    plain, traced = measure(reader, path, traced=False), measure(reader, path, traced=True)
    with capsys.disabled():
        print(f"\n{reader} {write.__name__} {path.stat().st_size / MB:.1f} MB: {expected} messages, "
              f"{plain['messages'] / plain['seconds']:,.0f} messages/s, resident {plain['rss_before'] / MB:.1f} MB "
              f"before reading, peak {plain['rss_peak'] / MB:.1f} MB while reading, "
              f"traced peak {traced['traced_peak'] / MB:.2f} MB")
    assert plain["messages"] == traced["messages"] == expected
    assert traced["traced_peak"] < LIMIT
    assert plain["rss_peak"] - plain["rss_before"] < LIMIT
