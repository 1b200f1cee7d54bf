"""The age envelope around bundles and enrolment files, and writing them safely.

A file starts with one plain line naming what it is (and, for a bundle, the team id), then
the age ciphertext. The plain line lets a person (and the importer) tell "another team's
bundle" from "damaged" before any decryption; it holds no personal data. Everything that
matters (the team id included) is repeated inside the encrypted, authenticated payload, so
editing the plain line gains nothing: the check inside refuses it.

Emergency reading without microcare: `tail -n +2 FILE | age -d -i key.txt > bundle.zip`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from microcare_tui.domain.errors import MicrocareError

BUNDLE_MAGIC = b"MCBUNDLE/1"
TEAM_MAGIC = b"MCTEAM/1"
# The plain line is short; a longer first line is not ours (and is never read whole).
MAX_LINE = 200


class BundleError(MicrocareError):
    """A bundle (or enrolment file) that cannot be used, with one plain line saying why.

    `code` is a fixed word tests and the folder sync use to tell the cases apart:
    not_bundle, truncated, tampered, other_team, wrong_key, future_format, too_big,
    bad_member, members, hash_mismatch, bad_manifest, bad_changes, no_team, passphrase.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def seal(magic: bytes, label: str, payload: bytes, recipient_key: str) -> bytes:
    """The file bytes for `payload` encrypted to the age X25519 recipient `recipient_key`."""
    from pyrage import encrypt, x25519

    recipient = x25519.Recipient.from_str(recipient_key)
    return _plain_line(magic, label) + encrypt(payload, [recipient])


def seal_with_passphrase(magic: bytes, label: str, payload: bytes, passphrase: str) -> bytes:
    """The file bytes for `payload` under an age scrypt passphrase (~1.6 s: enrolment only)."""
    from pyrage import passphrase as age_passphrase

    return _plain_line(magic, label) + age_passphrase.encrypt(payload, passphrase)


def split(data: bytes, magic: bytes, what: str) -> tuple[str, bytes]:
    """The label on the plain line and the ciphertext after it; BundleError("not_bundle")
    when the file does not start as ours."""
    head, sep, rest = data[: MAX_LINE + 1].partition(b"\n")
    if not sep:
        raise BundleError("not_bundle", f"This is not a microcare {what} (no header line).")
    word, _, label = head.partition(b" ")
    if word != magic:
        if word.startswith(magic.split(b"/")[0] + b"/"):
            raise BundleError(
                "future_format",
                f"This {what} was made by a newer version of microcare: update microcare to "
                "read it. Nothing was changed.",
            )
        raise BundleError("not_bundle", f"This is not a microcare {what}.")
    try:
        text = label.decode("ascii").strip()
    except UnicodeDecodeError:
        raise BundleError("not_bundle", f"This is not a microcare {what}.") from None
    body = data[len(head) + 1 :]
    if not body.startswith(b"age-encryption.org/v1\n"):
        if not body or b"age-encryption.org/v1\n".startswith(body):
            raise BundleError(
                "truncated", f"This {what} is cut short (incomplete copy?): copy it again."
            )
        raise BundleError("not_bundle", f"This is not a microcare {what} (no encrypted body).")
    return text, body


def open_sealed(body: bytes, secret_key: str, what: str) -> bytes:
    """Decrypt `body` with the team's X25519 identity; BundleError on every failure.

    age authenticates every 64 KiB chunk and marks the last one, so a cut-short file, a
    flipped bit anywhere, or another key each fail here, before anything is read.
    """
    from pyrage import DecryptError, decrypt, x25519

    identity = x25519.Identity.from_str(secret_key)
    try:
        return decrypt(body, [identity])
    except DecryptError as exc:
        raise _decrypt_error(str(exc), what) from None
    except Exception as exc:  # pyrage raises plain errors for some header damage
        raise _decrypt_error(str(exc), what) from None


def open_with_passphrase(body: bytes, passphrase: str, what: str) -> bytes:
    """Decrypt a passphrase-protected `body` (the enrolment file)."""
    from pyrage import passphrase as age_passphrase

    try:
        return age_passphrase.decrypt(body, passphrase)
    except Exception as exc:
        text = str(exc).lower()
        if "excessive" in text:
            # age refuses a passphrase's work factor above what this machine does in about a
            # second (its own measure, taken now): a busy laptop may refuse a right one. Its
            # message names the passphrase; it is not a wrong one.
            raise BundleError(
                "work",
                f"This laptop is too busy to check the passphrase of this {what} just now "
                "(or much slower than the one that made it): close other programs and try "
                "again. Nothing was changed.",
            ) from None
        if "no matching" in text or "decryption failed" in text or "passphrase" in text:
            raise BundleError(
                "passphrase", f"Wrong passphrase for this {what} (or the file was changed)."
            ) from None
        raise _decrypt_error(str(exc), what) from None


def _decrypt_error(text: str, what: str) -> BundleError:
    low = text.lower()
    if "no matching keys" in low or "no identity matched" in low:
        return BundleError(
            "wrong_key",
            f"This {what} was not made for this laptop's team key (another team, or the team "
            "key was changed): ask the sender to export again. Nothing was changed.",
        )
    if "fill whole buffer" in low or "unexpected eof" in low or "truncat" in low:
        return BundleError(
            "truncated", f"This {what} is cut short (incomplete copy?): copy it again."
        )
    return BundleError(
        "tampered",
        f"This {what} is damaged, cut short or was changed after it was made (it fails "
        "its authentication check): copy it again. Nothing was changed.",
    )


def _plain_line(magic: bytes, label: str) -> bytes:
    clean = "".join(ch for ch in label if ch.isalnum() or ch in "-_.")[:64]
    return magic + (b" " + clean.encode("ascii") if clean else b"") + b"\n"


def write_atomically(path: Path, data: bytes, private: bool = False) -> Path:
    """Write `data` to `path` through a temporary name in the same folder: written, fsynced,
    renamed, folder fsynced. A reader of the folder never sees a half-written file (the
    temporary name starts with '.' and ends '.partial', which readers skip). `private`
    makes the file 0600 (it holds key material). An existing `path` is never replaced:
    FileExistsError (names carry a random part, so two laptops never collide)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    fd = os.open(tmp, flags, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # link + unlink rather than rename: rename would silently replace a file of the name.
        try:
            os.link(tmp, path)
        except OSError as exc:
            if isinstance(exc, FileExistsError):
                raise
            os.replace(tmp, path)  # a filesystem without hard links (FAT USB sticks)
        _fsync_folder(path.parent)
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
    return path


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
