"""Email address parsing and validation: ``email.utils`` parsing plus the sanity checks it
does not make (it accepts almost anything, and on Python 3.11 it can read
``alice@example.org)<bob@example.org>`` as an address of ``bob``).

Problems are returned, not raised, so a composer can mark every bad address at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, getaddresses, parseaddr
from enum import StrEnum


class AddressIssue(StrEnum):
    EMPTY = "empty"
    CONTROL_CHARACTERS = "control_characters"
    TOO_LONG = "too_long"
    UNPARSEABLE = "unparseable"
    NO_AT = "no_at"
    BAD_LOCAL_PART = "bad_local_part"
    BAD_DOMAIN = "bad_domain"


@dataclass(frozen=True, slots=True)
class Address:
    """A checked address: ``addr`` is the bare addr-spec, ``name`` the display name."""

    name: str
    addr: str

    @property
    def key(self) -> str:
        """Case-insensitive identity used to de-duplicate recipients."""
        return self.addr.casefold()

    def __str__(self) -> str:
        return formataddr((self.name, self.addr)) if self.name else self.addr


@dataclass(frozen=True, slots=True)
class AddressProblem:
    """Why one entry (``value`` as the agent typed it) is not a usable address."""

    value: str
    issue: AddressIssue
    message: str
    field: str = ""  # "to", "cc", "bcc" when known


class AddressInvalid(ValueError):
    def __init__(self, problem: AddressProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


MAX_ADDRESS_LENGTH = 254
MAX_LOCAL_LENGTH = 64
MAX_INPUT_LENGTH = 998  # one header line
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\uffff]"
_LOCAL = re.compile(rf"{_ATEXT}+(?:\.{_ATEXT}+)*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TLD = re.compile(r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def _problem(value: str, issue: AddressIssue, why: str) -> AddressInvalid:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return AddressInvalid(AddressProblem(value, issue, f"{shown!r}: {why}"))


def ascii_domain(domain: str) -> str | None:
    """The domain in ASCII (IDNA) form, lower-cased, or None when it is not a valid
    host name with at least two labels."""
    domain = domain.strip().rstrip(".").lower()
    if not domain or len(domain) > 253:
        return None
    try:
        ascii_form = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        return None
    labels = ascii_form.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(lb) for lb in labels):
        return None
    return ascii_form if _TLD.fullmatch(labels[-1]) else None


def parse_address(value: str) -> Address:
    """One address (``a@b.example`` or ``Name <a@b.example>``); raises
    :class:`AddressInvalid` whose ``problem`` says what is wrong."""
    text = value.strip()
    if not text:
        raise _problem(value, AddressIssue.EMPTY, "no address given")
    if _CONTROL.search(text):
        raise _problem(value, AddressIssue.CONTROL_CHARACTERS, "contains control characters")
    if len(text) > MAX_INPUT_LENGTH:
        raise _problem(value, AddressIssue.TOO_LONG, "is far too long for an address")
    name, addr = parseaddr(text)
    # parseaddr is lenient: accept only the two plain shapes, so that nothing is dropped
    if "<" in text or ">" in text:
        inner = text.rsplit("<", 1)[-1]
        if not text.endswith(">") or inner[:-1].strip() != addr or text.count("<") != 1:
            raise _problem(value, AddressIssue.UNPARSEABLE,
                           "use the form name@example.com or Name <name@example.com>")
    else:
        name, addr = "", text  # a bare addr-spec: checked below, part by part
    if "@" not in addr:
        raise _problem(value, AddressIssue.NO_AT, "has no @ and domain")
    local, _, domain = addr.rpartition("@")
    if len(addr) > MAX_ADDRESS_LENGTH:
        raise _problem(value, AddressIssue.TOO_LONG,
                       f"is longer than {MAX_ADDRESS_LENGTH} characters")
    if (not local or len(local) > MAX_LOCAL_LENGTH or "@" in local
            or not _LOCAL.fullmatch(local)):
        raise _problem(value, AddressIssue.BAD_LOCAL_PART,
                       f"the part before @ ({local!r}) is not valid")
    if ascii_domain(domain) is None or domain.endswith("."):
        raise _problem(value, AddressIssue.BAD_DOMAIN, f"the domain {domain!r} is not valid")
    return Address(name.strip(), addr)


def split_addresses(text: str) -> list[str]:
    """A typed recipient line split into entries (commas or semicolons; commas inside
    quoted display names are kept)."""
    parts: list[str] = []
    buf: list[str] = []
    quoted = angle = False
    for ch in text:
        if ch == '"' and not angle:
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        if ch in ",;\n" and not quoted and not angle:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def check_addresses(entries: list[str], field: str = "", *,
                    seen: set[str] | None = None) -> tuple[list[Address], list[AddressProblem]]:
    """Parses every entry; returns the good addresses and one problem per bad entry.
    Repeats (case-insensitive, also of keys already in ``seen``) are dropped silently."""
    good: list[Address] = []
    problems: list[AddressProblem] = []
    seen = set() if seen is None else seen
    for entry in entries:
        try:
            address = parse_address(entry)
        except AddressInvalid as exc:
            p = exc.problem
            problems.append(AddressProblem(p.value, p.issue, p.message, field))
            continue
        if address.key in seen:
            continue
        seen.add(address.key)
        good.append(address)
    return good, problems


def lenient_addresses(values: list[str]) -> list[Address]:
    """Addresses from headers we did not write (received mail): parsed leniently, entries
    that are not even ``x@y`` dropped. Use :func:`parse_address` for what agents type."""
    out: list[Address] = []
    for name, addr in getaddresses([v[:MAX_INPUT_LENGTH * 8] for v in values]):
        if "@" in addr and not _CONTROL.search(addr) and len(addr) <= MAX_ADDRESS_LENGTH:
            out.append(Address(_CONTROL.sub(" ", name).strip(), addr))
    return out
