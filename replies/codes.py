"""Reply codes: what a resident types or scans to answer a letter, card or text.

A code is 17 characters drawn with `secrets` from Crockford's base-32 alphabet (no I,
L, O or U: nothing to mix up), 85 random bits, plus one check character, shown in
three groups of six: ``7KQ2-…`` style ``ABC123-DEFG45-HJKM6P``. It says nothing about
the case (no id, no date) and is unguessable: 2^85 possibilities, with the page's
rate limits on top (replies/limits.py). Typing is forgiving: case, spaces and dashes
do not matter, O reads as 0 and I or L as 1; the check character catches a single
mistyped character and most swaps of two neighbours before the database is asked.

Only a SHA-256 digest of the code is stored (replies.models.ReplyCode.digest): with
85 random bits a plain hash cannot be reversed by trying, and someone who reads the
database cannot answer in a resident's name. So a code cannot be printed again: a
reprint prints a new one (and the old one stays valid until the case closes or the
caseworker revokes the addressee's codes)."""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 17  # 17 × 5 = 85 bits
LENGTH = RANDOM_LENGTH + 1
GROUP = 6
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check(body: str) -> str:
    # Odd weights modulo 32: every single wrong character changes the sum.
    return ALPHABET[sum((2 * i + 1) * _VALUE[c] for i, c in enumerate(body)) % len(ALPHABET)]


def code_new() -> str:
    """A fresh code, normalized (18 characters, no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check(body)


def code_normalize(typed: str) -> str | None:
    """The code as typed or scanned, normalized; None when it cannot be a code (wrong
    length, a character outside the alphabet, or a wrong check character)."""
    text = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(text) != LENGTH or any(c not in _VALUE for c in text):
        return None
    if _check(text[:RANDOM_LENGTH]) != text[-1]:
        return None
    return text


def code_display(code: str) -> str:
    """ABC123-DEFG45-HJKM6P: in groups, for print and for the link."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_digest(code: str) -> str:
    """What is stored and looked up: SHA-256 of the normalized code, hex."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
