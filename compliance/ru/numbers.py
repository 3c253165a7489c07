"""Russian number agreement, page counters and percentages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _morph

if TYPE_CHECKING:
    from decimal import Decimal

NBSP = "\u00a0"
# Counting forms pymorphy3 gets wrong (it returns «людей», «годов»).
_COUNT_FORMS = {"человек": "человек", "год": "лет"}


def _noun_parse(word: str) -> Any:
    """Return the nominative-singular noun parse of a word, else the best parse."""
    ps = _morph.parses(word.lower())
    for p in ps:
        if p.tag.POS == "NOUN" and p.tag.case == "nomn" and p.tag.number == "sing":
            return p
    return ps[0] if ps else None


def _many(n: int) -> bool:
    """Return True when n takes the genitive plural (5 групп, 11 групп, 0 групп)."""
    n = abs(n)
    return not (n % 10 in (1, 2, 3, 4) and n % 100 not in (11, 12, 13, 14))


def _agree_noun(n: int, word: str) -> tuple[str, Any]:
    """Return the noun form agreeing with n and the parse used."""
    p = _noun_parse(word)
    if p is None:
        return word, None
    if _many(n):
        if p.normal_form in _COUNT_FORMS:
            return _COUNT_FORMS[p.normal_form], p
        counted = p.inflect({"plur", "gent", "Coun"})  # «5 грамм», not «граммов»
        if counted is not None and "Coun" in counted.tag:
            return counted.word, p
    form = p.make_agree_with_number(abs(n))
    return (form.word if form is not None else word), p


def _agree_adjective(n: int, word: str, noun: Any) -> str:
    """Return an adjective agreeing with a counted noun: 2 новых участника, 2 новые группы."""
    m = abs(n)
    if not _many(n) and m % 10 == 1:
        return word  # 1, 21, 101: nominative singular as given
    adj = _morph.nominative(word.lower(), _morph.ADJ_POS)
    if adj is None:
        return word
    # 2–4 with a feminine noun: nominative plural is preferred.
    case = "nomn" if not _many(n) and noun is not None and noun.tag.gender == "femn" else "gent"
    form = adj.inflect({"plur", case})
    return form.word if form is not None else word


def plural(n: int, word: str) -> str:
    """Return «3 группы», «5 групп», «21 группа»; an adjective+noun phrase also works."""
    words = word.split()
    if not words:
        raise ValueError("word must not be empty")
    noun_form, noun = _agree_noun(n, words[-1])
    out = [_morph.match_case(w, _agree_adjective(n, w, noun)) for w in words[:-1]]
    out.append(_morph.match_case(words[-1], noun_form))
    return f"{n} " + " ".join(out)


def pages_of(page: int, total: int) -> str:
    """Return «стр. 2 из 3»."""
    return f"стр. {page} из {total}"


def percent(part: int | float | Decimal, whole: int | float | Decimal) -> str:
    """Return «87\u00a0%» rounded half up, or «—» when whole is zero."""
    from decimal import ROUND_HALF_UP, Decimal, localcontext

    if whole == 0:
        return "—"
    with localcontext() as ctx:
        ctx.prec = 50
        value = Decimal(str(part)) * 100 / Decimal(str(whole))
        rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{int(rounded)}{NBSP}%"
