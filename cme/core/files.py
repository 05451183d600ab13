"""Reading an imported file whole, after checking its size, so a huge file is refused at once.

A 50 MB EMS extract once took two minutes and 1.7 GB to refuse: the size is now checked
before a byte is read (from the file system for a path, from the stream's position for an
open file) against a cap the council sets (README, "Configuration").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from django.conf import settings

MB = 1024 * 1024


class FileTooLarge(ValueError):
    """The file is over the cap; the message says how big it is, the cap, and the setting."""


def import_cap_bytes(setting: str = "CME_IMPORT_MAX_MB") -> int:
    return int(float(getattr(settings, setting)) * MB)


def _too_large(size: int, setting: str) -> FileTooLarge:
    megabytes = size / MB
    shown = f"{megabytes:.1f}" if megabytes >= 0.1 else f"{megabytes:.3f}"
    return FileTooLarge(
        f"the file is {shown} MB, more than the {float(getattr(settings, setting)):g} MB this "
        f"register accepts. Split it (by school, say) or ask the administrator to raise {setting}"
    )


def read_capped(
    file: str | Path | IO[bytes] | bytes, *, setting: str = "CME_IMPORT_MAX_MB"
) -> bytes:
    """The file's bytes; FileTooLarge, having read nothing (or one byte past the cap from a
    stream whose size cannot be known), when it is bigger than the cap."""
    cap = import_cap_bytes(setting)
    if isinstance(file, bytes):
        if len(file) > cap:
            raise _too_large(len(file), setting)
        return file
    if isinstance(file, str | Path):
        on_disk = Path(file).stat().st_size
        if on_disk > cap:
            raise _too_large(on_disk, setting)
        return Path(file).read_bytes()
    remaining: int | None
    try:
        start = file.tell()
        remaining = file.seek(0, os.SEEK_END) - start
        file.seek(start)
    except (OSError, AttributeError, ValueError):  # a pipe or a socket: no size to ask for
        remaining = None
    if remaining is not None and remaining > cap:
        raise _too_large(remaining, setting)
    data = file.read(cap + 1)
    if len(data) > cap:
        raise _too_large(len(data), setting)
    return data


def nul_line(text: str) -> int | None:
    """The line number of the first NUL character, or None. A NUL is never in a CSV a person
    saved: it means a binary or damaged file, which PostgreSQL could not store anyway."""
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1
