"""Taking results away from the app: xlsx export, clipboard copy, SVG screenshot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from heetui.engine.results import Crosstab
from heetui.survey.codebook import Codebook
from heetui.tui.failures import attempt
from heetui.tui.state import ViewState


class ExportActions(App[None]):
    """Mixed into the app; relies on ``crosstab``, ``view`` and ``codebook``."""

    crosstab: Crosstab | None
    view: ViewState
    codebook: Codebook
    _shots = 0  # screenshots numbered in this session

    def action_export(self) -> None:
        """Save the current table as a formatted xlsx in the working folder."""
        if self.crosstab is None:
            return
        from heetui.output.grid_xlsx import write_grid_xlsx
        from heetui.output.xlsx import default_name, write_xlsx

        ct = self.crosstab
        target = Path.cwd() / default_name(ct)
        write = write_grid_xlsx if ct.grid else write_xlsx
        _, error = attempt(lambda: write(ct, target, self.codebook))
        if error:
            self.notify(f"Could not save {target.name}. {error}", severity="error",
                        markup=False)
            return
        self.notify(f"Saved {target}", markup=False)

    def action_copy(self) -> None:
        """Copy the current table as Markdown (OSC 52: works over SSH where supported)."""
        if self.crosstab is None:
            return
        from heetui.output.tables import render_md

        self.copy_to_clipboard(render_md(self.crosstab, self.view.show))
        self.notify("Copied the table as Markdown (via your terminal's clipboard, OSC 52).")

    def action_screenshot_svg(self) -> None:
        """Save the screen as SVG: heetui-<question>-1.svg, -2, … in order through the
        session, never over an existing file; drawn right by librsvg as well as browsers."""
        from heetui.output.atomic import write_bytes
        from heetui.output.svg import for_rsvg

        folder = Path.cwd()
        while True:
            self._shots += 1
            target = folder / f"heetui-{self.view.question}-{self._shots}.svg"
            if not target.exists():
                break
        svg = for_rsvg(self.export_screenshot(title=f"heetui — {self.title}"))
        try:
            write_bytes(target, svg.encode("utf-8"))
        except OSError as e:
            self.notify(f"Could not save {target.name}: {e.strerror or e}", severity="error",
                        markup=False)
            return
        self.notify(f"Saved screenshot {target}", markup=False)
