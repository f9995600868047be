"""Taking results away from the app: xlsx export, clipboard copy, SVG screenshot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from heetui.engine.results import Crosstab
from heetui.tui.failures import attempt
from heetui.tui.state import ViewState


class ExportActions(App[None]):
    """Mixed into the app; relies on ``crosstab`` and ``view``."""

    crosstab: Crosstab | None
    view: ViewState

    def action_export(self) -> None:
        """Save the current table as a formatted xlsx in the working folder."""
        if self.crosstab is None:
            return
        from heetui.output.xlsx import default_name, write_xlsx

        ct = self.crosstab
        target = Path.cwd() / default_name(ct)
        _, error = attempt(lambda: write_xlsx(ct, target))
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
        from heetui.output.atomic import write_bytes

        name = f"heetui-{self.view.question}-{len(self.screen_stack)}.svg"
        target = Path.cwd() / name
        try:
            write_bytes(target, self.export_screenshot(title=f"heetui — {self.title}")
                        .encode("utf-8"))
        except OSError as e:
            self.notify(f"Could not save {name}: {e.strerror or e}", severity="error", markup=False)
            return
        self.notify(f"Saved screenshot {target}", markup=False)
