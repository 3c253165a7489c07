"""The usual way's PDF step: LibreOffice converting DOCX files, timed from outside.

Each benchmark run makes its own LibreOffice profile (-env:UserInstallation) in its work
folder, so the user's profile is never touched and no earlier run leaves it warm or broken.
The profile is created by one untimed conversion first: the timed calls then show
LibreOffice at its best, as on a desk where it has been used before.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BATCH = 20          # files per soffice call in the batched case


class OfficeError(RuntimeError):
    pass


class Office:
    def __init__(self, binary: str, profile: Path):
        self.binary = binary
        self.profile = profile

    @classmethod
    def find(cls, work: Path, name: str = "lo-profile") -> "Office | None":
        binary = shutil.which("soffice") or shutil.which("libreoffice")
        return cls(binary, work / name) if binary else None

    def sibling(self, name: str) -> "Office":
        """Another instance with its own profile (two soffice processes cannot share one)."""
        return Office(self.binary, self.profile.parent / name)

    def convert(self, files: list[Path], outdir: Path, timeout: float = 900) -> float:
        """Convert `files` to PDF in one soffice call; return the wall time in seconds."""
        outdir.mkdir(parents=True, exist_ok=True)
        command = [self.binary, "--headless", "--norestore", f"-env:UserInstallation={self.profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        seconds = time.perf_counter() - start
        missing = [f.name for f in files if not (outdir / (f.stem + ".pdf")).exists()]
        if done.returncode != 0 or missing:
            raise OfficeError(f"soffice failed (exit {done.returncode}); missing {missing[:3]}: {done.stderr[-500:]}")
        return seconds

    def warm(self, sample: Path, outdir: Path) -> float:
        """Create the profile with one conversion; return how long that cold call took."""
        return self.convert([sample], outdir)

    def convert_batched(self, files: list[Path], outdir: Path, batch: int = BATCH) -> float:
        """All `files` in calls of `batch` files each, one call after another."""
        return sum(self.convert(files[i:i + batch], outdir) for i in range(0, len(files), batch))


def convert_parallel(offices: list[Office], files: list[Path], outdir: Path, batch: int = BATCH) -> float:
    """All `files` in batches spread over several soffice processes at once; wall time."""
    batches = [files[i:i + batch] for i in range(0, len(files), batch)]
    shares = [batches[i::len(offices)] for i in range(len(offices))]
    start = time.perf_counter()
    with ThreadPoolExecutor(len(offices)) as pool:
        futures = [pool.submit(lambda o, bs: [o.convert(b, outdir) for b in bs], office, share)
                   for office, share in zip(offices, shares)]
        for future in futures:
            future.result()
    return time.perf_counter() - start
