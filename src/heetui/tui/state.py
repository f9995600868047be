"""What the app is showing, as plain data (no Textual): question, banner, filters, toggles."""

from __future__ import annotations

from dataclasses import dataclass, replace

from heetui.engine import Filter, TabRequest
from heetui.output.tables import Show

# what `l` cycles through: single levels, then pairs (capital letters at the stricter level,
# lower-case at the looser)
SIG_LEVELS: tuple[tuple[float, float | None], ...] = (
    (0.05, None), (0.01, None), (0.10, None), (0.05, 0.10), (0.01, 0.05))
SHOW_CYCLE: tuple[Show, ...] = ("percent", "both", "count")


@dataclass(frozen=True)
class ViewState:
    question: str
    banner: str | None = None
    filters: tuple[Filter, ...] = ()
    weighted: bool = False
    show: Show = "percent"
    letters: bool = True
    sig_level: float = 0.05
    loose_level: float | None = None  # a second, looser level (lower-case letters)
    group: tuple[Filter, ...] = ()  # banner = this group vs the rest (from a profile)
    decimals: int = 0  # of percents
    low_base: int | None = None  # None: the codebook's
    min_test_base: int | None = None  # None: the codebook's

    def request(self) -> TabRequest:
        return TabRequest(self.question, None if self.group else self.banner,
                          () if self.group else self.filters, self.weighted, self.sig_level,
                          low_base=self.low_base, min_test_base=self.min_test_base,
                          group=self.group, loose_level=self.loose_level)

    def with_filter(self, f: Filter | None, variable: str) -> ViewState:
        """Replace (or with f=None remove) the filter on ``variable``."""
        kept = tuple(x for x in self.filters if x.variable != variable)
        return replace(self, filters=kept + ((f,) if f else ()))

    def next_sig_level(self) -> ViewState:
        now = (self.sig_level, self.loose_level)
        i = SIG_LEVELS.index(now) if now in SIG_LEVELS else -1
        strict, loose = SIG_LEVELS[(i + 1) % len(SIG_LEVELS)]
        return replace(self, sig_level=strict, loose_level=loose)

    @property
    def levels_text(self) -> str:
        """The level, or the two levels: "0.05", "0.05/0.1"."""
        return f"{self.sig_level:g}" + (f"/{self.loose_level:g}" if self.loose_level else "")

    def next_show(self) -> ViewState:
        return replace(self, show=SHOW_CYCLE[(SHOW_CYCLE.index(self.show) + 1) % 3])
