"""Approval stamp word («УТВЕРЖДЁН» etc.) agreeing with the act kind."""

from __future__ import annotations

from . import _morph

# Used only when pymorphy3 cannot inflect the participle.
_FALLBACK = {"masc": "утверждён", "femn": "утверждена", "neut": "утверждено", "plur": "утверждены"}


def _kind_grammemes(kind: str) -> str:
    """Return «masc»/«femn»/«neut»/«plur» for the head noun of the act kind."""
    for word in kind.split():
        head = _morph.nominative(word.strip(".,«»\"'()").lower(), frozenset({"NOUN"}))
        if head is not None:
            if head.tag.number == "plur" or "Pltm" in head.tag:
                return "plur"
            if head.tag.gender in ("masc", "femn", "neut"):
                return str(head.tag.gender)
    # Unknown word: guess from the ending.
    last = kind.strip().lower()[-1:]
    return {"а": "femn", "я": "femn", "о": "neut", "е": "neut", "ы": "plur", "и": "plur"}.get(last, "masc")


def approved_word(kind: str) -> str:
    """Return «УТВЕРЖДЁН»/«УТВЕРЖДЕНА»/«УТВЕРЖДЕНО»/«УТВЕРЖДЕНЫ» agreeing with kind."""
    key = _kind_grammemes(kind)
    participle = _morph.nominative("утверждённый", frozenset({"PRTF"}))
    grammemes = {"PRTS", "plur"} if key == "plur" else {"PRTS", "sing", key}
    form = participle.inflect(grammemes) if participle is not None else None
    word = form.word if form is not None else _FALLBACK[key]
    return word.upper()


def approved_attribute(kind: str, case: str = "ablt") -> str:
    """Full participle agreeing with the act kind: «утверждённым» (порядок), «утверждёнными» (правила)."""
    key = _kind_grammemes(kind)
    participle = _morph.nominative("утверждённый", frozenset({"PRTF"}))
    grammemes = {"PRTF", case, "plur"} if key == "plur" else {"PRTF", case, "sing", key}
    form = participle.inflect(grammemes) if participle is not None else None
    if form is None:
        raise ValueError(f"no form of «утверждённый» for {kind!r} in {case}")
    return form.word
