"""Row identity: UUIDv7 minted on this device, sortable by creation time."""

from __future__ import annotations

import _thread
import os
import time

# A plain lock from _thread: the threading module costs `microcare search` ~1 ms to import.
_lock = _thread.allocate_lock()
_last_ms = 0
_counter = 0


def new_id() -> str:
    """Return a new canonical lowercase UUIDv7 string (RFC 9562), monotonic within a process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return _text(value)


def seed_id(kind: str, code: str) -> str:
    """A fixed UUIDv7-shaped id for a default reference row (an area, a service type).

    Every laptop seeds the same defaults; fixed ids make them the same rows everywhere, so
    merging colleagues' work never duplicates "Ashford". Timestamp bits are zero.
    """
    import hashlib  # here: hashlib loads OpenSSL, which the CLI's search never needs

    digest = int.from_bytes(hashlib.sha256(f"{kind}:{code}".encode()).digest()[:10], "big")
    value = (0x7 << 76) | ((digest >> 62) & 0xFFF) << 64 | (0b10 << 62) | (digest & ((1 << 62) - 1))
    return _text(value)


def _text(value: int) -> str:
    """A 128-bit id in the canonical form, as `str(uuid.UUID(int=value))` writes it (the uuid
    module is not imported: it loads `platform`, ~5 ms of `microcare search`)."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
