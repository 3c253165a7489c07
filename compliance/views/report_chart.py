"""The coverage chart of the monthly report (Рисунок 1): acknowledgement coverage per group as horizontal bars."""
from __future__ import annotations

from dataclasses import dataclass

from .report_clauses import middle_cut


@dataclass(frozen=True)
class ChartBar:
    label: str                   # the group's name, shortened: «Изостудия «Радуга». Родители»; «Остальные 179 групп»
    value: float                 # 0–100, the length of the bar
    text: str                    # «58 %», printed at the bar's end


@dataclass(frozen=True)
class CoverageChart:
    """Acknowledgement coverage per group, drawn as horizontal bars: every group in the table's order, or, when
    there are more than CHART_GROUPS, the groups with the lowest coverage and one bar for all the others."""

    bars: tuple[ChartBar, ...]
    axis: str                    # «доля ознакомленных, %» under the value axis

    def pieces(self, size: int) -> tuple["CoverageChart", ...]:
        """The chart cut into charts of at most `size` groups: 200 groups do not fit one page."""
        return tuple(CoverageChart(self.bars[i:i + size], self.axis) for i in range(0, len(self.bars), size))


CHART_GROUPS = 20          # up to this many groups are all drawn; more: the lowest CHART_GROUPS - 1 and the rest
CHART_LABEL = 72           # characters of a bar's name: two lines beside the bar


def coverage_chart(shares: list[tuple[int, str, int, int]]) -> tuple[list[ChartBar], str]:
    """The bars and the caption of the coverage chart from (number in table 1, label, acknowledged, members)
    per group: every group in the table's order, or the CHART_GROUPS - 1 groups with the lowest coverage
    (their number in table 1 before the name) and one bar for all the others together."""
    from ..ru import percent, plural
    from .common import NBSP

    def share(done: int, members: int) -> float:
        return 100 * done / members if members else 0.0

    if not shares:
        return [], ""
    title = "Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами"
    if len(shares) <= CHART_GROUPS:
        return [ChartBar(middle_cut(label, CHART_LABEL), share(done, members), percent(done, members))
                for _, label, done, members in shares], title
    ranked = sorted(shares, key=lambda s: (share(s[2], s[3]), s[0]))
    lowest, rest = ranked[:CHART_GROUPS - 1], ranked[CHART_GROUPS - 1:]
    bars = [ChartBar(middle_cut(f"{number}. {label}", CHART_LABEL), share(done, members), percent(done, members))
            for number, label, done, members in lowest]
    done, members = sum(s[2] for s in rest), sum(s[3] for s in rest)
    low, high = (percent(s[2], s[3]) for s in (rest[0], rest[-1]))
    bars.append(ChartBar(f"Остальные {plural(len(rest), 'группа')}: от {low.replace(NBSP + '%', '')} до {high}",
                         share(done, members), percent(done, members)))
    title = (f"Рисунок 1 — Доля участников группы, ознакомленных со всеми обязательными актами: "
             f"{plural(len(lowest), 'группа')} с наименьшей долей (номер — по таблице раздела 1) "
             f"и остальные {len(rest)} вместе")
    return bars, title
