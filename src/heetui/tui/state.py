"""What the app is showing, as plain data (no Textual): question, banner, filters, toggles."""

from __future__ import annotations

from dataclasses import dataclass, replace

from heetui.engine.crosstab import TabRequest
from heetui.engine.filters import Filter
from heetui.output.tables import Show

SIG_LEVELS = (0.05, 0.01, 0.10)
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
    group: tuple[Filter, ...] = ()  # banner = this group vs the rest (from a profile)

    def request(self) -> TabRequest:
        return TabRequest(self.question, None if self.group else self.banner,
                          () if self.group else self.filters, self.weighted, self.sig_level,
                          group=self.group)

    def with_filter(self, f: Filter | None, variable: str) -> ViewState:
        """Replace (or with f=None remove) the filter on ``variable``."""
        kept = tuple(x for x in self.filters if x.variable != variable)
        return replace(self, filters=kept + ((f,) if f else ()))

    def next_sig_level(self) -> ViewState:
        i = SIG_LEVELS.index(self.sig_level) if self.sig_level in SIG_LEVELS else -1
        return replace(self, sig_level=SIG_LEVELS[(i + 1) % len(SIG_LEVELS)])

    def next_show(self) -> ViewState:
        return replace(self, show=SHOW_CYCLE[(SHOW_CYCLE.index(self.show) + 1) % 3])
