"""The text of a local act, as printed in an appendix: headings, paragraphs, list items."""
from __future__ import annotations

import re
from dataclasses import dataclass

_SECTION_HEADING = re.compile(r"^\d+\.\s+\S")


@dataclass(frozen=True)
class TextBlock:
    kind: str    # "heading", "paragraph" or "item"
    text: str


def parse_act_text(text: str) -> tuple[TextBlock, ...]:
    """Blocks are separated by blank lines; «- » starts a list item; «1. Название» is a section heading."""
    blocks: list[TextBlock] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks += [TextBlock("item", "– " + line[2:].strip()) for line in lines]
            continue
        joined = " ".join(lines)
        if len(lines) == 1 and _SECTION_HEADING.match(joined) and len(joined) < 80:
            blocks.append(TextBlock("heading", joined.rstrip(".:")))
        else:
            blocks.append(TextBlock("paragraph", joined))
    return tuple(blocks)
