"""п. 5.1: informal style in official posts — slang, chat greetings, «!!!», «)))», emoji strings, shouting."""
from __future__ import annotations

import re

from ..imports.message import ChatMessage
from ..model.records import FindingCategory
from .context import ScanContext
from .hit import Match
from .lexicon import lines

CATEGORY = FindingCategory.STYLE
CLAUSE = "5.1"


def _phrase(text: str) -> str:
    return r"\s+".join(re.escape(w).replace("е", "[её]") for w in text.casefold().replace("ё", "е").split())


WORDS = tuple(lines("style.txt"))
_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(sorted((_phrase(w) for w in WORDS), key=len, reverse=True))
                   + r"|(?:а?ха){2,}х?|(?:хе){3,}|(?:хи){3,})(?![\w-])", re.IGNORECASE)
_MARKS = re.compile(r"[!?]{3,}")
_SMILEY = re.compile(r"(?<!\()\){2,}|\({2,}|(?<![\w:])[:;=]-?[)(DР](?!\w)")
_EMOJI_CHAR = ("[\U0001F300-\U0001FAFF\U0001F000-\U0001F2FF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u2300-\u23FF]"
               "[\uFE0F\u200D\U0001F3FB-\U0001F3FF]*")
_EMOJI_RUN = re.compile(rf"{_EMOJI_CHAR}(?:\s*{_EMOJI_CHAR}){{2,}}")
_CAPS = re.compile(r"(?<![\w])[А-ЯЁ]{2,}(?:[\s,.:;!?\-—]+[А-ЯЁ]{2,}){2,}(?![\w])")
_CAPITAL_WORD = re.compile(r"[А-ЯЁ]+")


def _shouting(span: str) -> bool:
    words = _CAPITAL_WORD.findall(span)
    return sum(map(len, words)) >= 15 and sum(len(w) >= 5 for w in words) >= 2


def find(message: ChatMessage, context: ScanContext) -> list[Match]:
    text = message.text
    if not text or not context.is_official(message.sender):
        return []
    found = [Match(m.start(), m.end(), f"разговорное выражение «{m.group().lower()}»") for m in _WORD.finditer(text)]
    found += [Match(m.start(), m.end(), f"многократные знаки «{m.group()}»") for m in _MARKS.finditer(text)]
    found += [Match(m.start(), m.end(), f"смайлик «{m.group()}»") for m in _SMILEY.finditer(text)]
    found += [Match(m.start(), m.end(), "цепочка эмодзи") for m in _EMOJI_RUN.finditer(text)]
    found += [Match(m.start(), m.end(), "текст сплошными заглавными буквами")
              for m in _CAPS.finditer(text) if _shouting(m.group())]
    return sorted(found, key=lambda m: m.start)
