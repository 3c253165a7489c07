"""Masks for personal data and obscene words, and the short excerpt a finding carries.

An excerpt is cut from the message with every masked span already replaced, so no cut can
reveal part of a datum, whichever scanner the hit came from. A safety net under the scanners:
any run of LONG_RUN or more digits (spaces, dashes, brackets and «+» between them) that no
scanner masked is masked in the excerpt too — a phone number the scanner did not recognise
(glued to a word, next to another number) never leaves the tool in clear.
"""
from __future__ import annotations

import re
from typing import Sequence

from .hit import Match

WIDTH = 120
ELLIPSIS = "…"
_DIGIT = re.compile(r"\d")
LONG_RUN = 10     # digits of a national phone number
_DIGIT_RUN = re.compile(r"\d(?:[ \u00a0\-()+]{0,3}\d)*")
_SPACES = re.compile(r"\s+")


def phone(national: str) -> str:
    """10 national digits → «+7 9** ***-**-12»: the operator's first digit and the last two stay."""
    return f"+7 {national[0]}** ***-**-{national[-2:]}"


def digits(text: str) -> str:
    """Every digit but the last two becomes «*»; separators and words stay: «112-233-445 95» → «***-***-*** 95»."""
    total = sum(c.isdigit() for c in text)
    seen = 0

    def star(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match.group() if seen > total - 2 else "*"

    return _DIGIT.sub(star, text)


def email(address: str) -> str:
    """«ivanova.m@mail.ru» → «i***@mail.ru»."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def word(text: str) -> str:
    """An obscene word → its first letter and «***»."""
    return f"{text[:1]}***"


def apply(text: str, masks: Sequence[Match]) -> tuple[str, list[tuple[int, int, int]]]:
    """The text with masks applied, and (original start, original end, shift after) per applied mask."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int]] = []
    position = shift = 0
    for m in sorted((m for m in masks if m.mask is not None), key=lambda m: (m.start, -m.end)):
        if m.start < position:          # overlaps one already applied
            continue
        pieces += [text[position:m.start], m.mask]
        shift += len(m.mask) - (m.end - m.start)
        spans.append((m.start, m.end, shift))
        position = m.end
    pieces.append(text[position:])
    return "".join(pieces), spans


def _hide_long_runs(text: str) -> str:
    """Every digit but the last two of each long digit run becomes «*»; the length stays the same."""
    def hide(match: re.Match[str]) -> str:
        run = match.group()
        return digits(run) if sum(c.isdigit() for c in run) >= LONG_RUN else run

    return _DIGIT_RUN.sub(hide, text)


def _mapped(index: int, spans: list[tuple[int, int, int]], *, at_end: bool) -> int:
    shift = 0
    for start, end, after in spans:
        if index >= end:
            shift = after
        elif index > start:
            # inside a mask: snap to the mask's edge in the masked text
            return end + after if at_end else start + shift
        else:
            break
    return index + shift


def excerpt(text: str, start: int, end: int, masks: Sequence[Match] = (), width: int = WIDTH) -> str:
    """A one-line window of at most `width` characters around text[start:end], masks applied."""
    masked, spans = apply(text.replace("\n", " ").replace("\t", " "), masks)
    masked = _hide_long_runs(masked)       # same length: the spans still map
    begin, finish = _mapped(start, spans, at_end=False), _mapped(end, spans, at_end=True)
    size = len(masked)
    budget = width - 2                      # room for an ellipsis on each side
    if finish - begin >= budget:           # a long hit (a whole message): show its beginning
        left, right, finish = begin, begin + budget, begin
    else:
        room = budget - (finish - begin)
        left = max(0, begin - room // 2)
        right = min(size, left + budget)
        left = max(0, right - budget)
    # do not start or stop in the middle of a word (unless that word is the hit itself)
    if left > 0:
        space = masked.find(" ", left, begin)
        if space != -1:
            left = space + 1
    if right < size:
        space = masked.rfind(" ", finish, right)
        if space != -1:
            right = space
    # nor in the middle of a mask: «b***@ma…» helps nobody
    before = 0
    for original_start, original_end, after in spans:
        region_start, region_end = original_start + before, original_end + after
        before = after
        if region_start < right < region_end and region_start >= finish:
            right = region_start
        if region_start < left < region_end and region_end <= begin:
            left = region_end
    window = _SPACES.sub(" ", masked[left:right]).strip()
    return (ELLIPSIS if left > 0 else "") + window + (ELLIPSIS if right < size else "")
