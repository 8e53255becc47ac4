"""Small-cell suppression for tables of aggregate figures (METRICS.md, network view).

A table is a set of disjoint groups of people (`cells`, with their counts) and the figures
shown about them: a count of some cells, or a rate, the share of some cells among others.
`suppress` decides which figures may be shown:

1. A count of 1 or 2 is `<3`.
2. A rate whose denominator is below 10 is `n<10`; a rate whose numerator is 1 or 2 is
   `<3`.
3. Complementary suppression: no count of people may be worked out from the shown
   figures, by any sum or difference of them (a total minus its parts, a rate's
   complement, the difference of two rates of one base), and be 1 or 2. While some can,
   one more figure is withheld (`x`).

Rule 3 is exact linear algebra, not a list of patterns: every shown figure tells its
numerator (and, for a rate, its denominator — counted as known even where the table does
not show it, which is on the safe side); the count of a group of cells can be worked out
exactly when its indicator vector lies in the span of what is told. Each group whose
count is 1 or 2 and can be worked out is closed by withholding a figure, the least
important one first (figures come in order of importance) among those whose withholding
closes it. Cells that share no figure are independent, so the check runs per connected
component and enumerates its groups (2^k for k cells: keep components small, as a row of
the network view with its eight cells is).

Rates on screen are rounded to whole percent; the check treats them as exact, which is
again on the safe side.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

SMALL = frozenset({1, 2})
MIN_DENOMINATOR = 10
LESS_THAN_3 = "<3"
SMALL_BASE = "n<10"
WITHHELD = "x"


@dataclass(frozen=True)
class Figure:
    """A count of the people in `cells`, or (with `of`) their share among those in `of`."""

    name: str
    cells: frozenset[str]
    of: frozenset[str] | None = None

    @property
    def is_rate(self) -> bool:
        return self.of is not None

    def told(self) -> list[frozenset[str]]:
        """The groups whose count this figure gives away when shown."""
        return [self.cells, self.of] if self.is_rate else [self.cells]


def _count(counts: Mapping[str, int], cells: frozenset[str]) -> int:
    return sum(counts[c] for c in cells)


def _primary(counts: Mapping[str, int], figure: Figure) -> str | None:
    numerator = _count(counts, figure.cells)
    if figure.is_rate and _count(counts, figure.of) < MIN_DENOMINATOR:
        return SMALL_BASE
    return LESS_THAN_3 if numerator in SMALL else None


class _Span:
    """The linear span of 0/1 vectors over `order` (exact, with fractions)."""

    def __init__(self, order: Sequence[str], groups):
        self.order = list(order)
        self.rows: list[tuple[int, list[Fraction]]] = []  # (pivot, row), reduced
        for group in groups:
            self._add(self._vector(group))

    def _vector(self, group) -> list[Fraction]:
        return [Fraction(1 if c in group else 0) for c in self.order]

    def _reduce(self, vector: list[Fraction]) -> list[Fraction]:
        for pivot, row in self.rows:
            if vector[pivot]:
                factor = vector[pivot]
                vector = [v - factor * r for v, r in zip(vector, row, strict=True)]
        return vector

    def _add(self, vector: list[Fraction]):
        vector = self._reduce(vector)
        pivot = next((i for i, v in enumerate(vector) if v), None)
        if pivot is None:
            return
        vector = [v / vector[pivot] for v in vector]
        self.rows = [(p, [r - row[pivot] * v for r, v in zip(row, vector, strict=True)])
                     for p, row in self.rows]
        self.rows.append((pivot, vector))

    def holds(self, group) -> bool:
        return not any(self._reduce(self._vector(group)))


def _components(cells: Sequence[str], figures: Sequence[Figure]) -> list[list[str]]:
    parent = {c: c for c in cells}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for figure in figures:
        members = [c for group in figure.told() for c in group]
        for a, b in zip(members, members[1:], strict=False):
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for c in cells:
        groups.setdefault(root(c), []).append(c)
    return list(groups.values())


def revealed_small_groups(counts: Mapping[str, int],
                          shown: Sequence[Figure]) -> list[frozenset[str]]:
    """Groups of cells whose count (1 or 2) can be worked out from the shown figures."""
    found = []
    for component in _components(list(counts), shown):
        told = [g for f in shown for g in f.told() if g & set(component)]
        if not told:
            continue
        span = _Span(component, told)
        for size in range(1, len(component) + 1):
            for group in combinations(component, size):
                if _count(counts, frozenset(group)) in SMALL and span.holds(group):
                    found.append(frozenset(group))
    return found


def suppress(counts: Mapping[str, int], figures: Sequence[Figure]) -> dict[str, str | None]:
    """For each figure its mark (`<3`, `n<10`, `x`), or None where it may be shown.

    `counts` holds the count of each cell (disjoint groups of people); `figures` come in
    order of importance, the first kept longest. Pure: no database, no side effects.
    """
    marks = {f.name: _primary(counts, f) for f in figures}
    while True:
        shown = [f for f in figures if marks[f.name] is None]
        revealed = revealed_small_groups(counts, shown)
        if not revealed:
            return marks
        group = revealed[0]
        closing = [f for f in shown if not any(
            g == group for g in revealed_small_groups(counts, [s for s in shown if s != f]))]
        involved = [f for f in shown if any(g & group for g in f.told())]
        victim = (closing or involved)[-1]
        marks[victim.name] = WITHHELD
