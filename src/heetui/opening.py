"""Opening what a person points heetui at: a bundle folder, or a file of another format
(one of importers.formats) imported first into a cached bundle. This sits above
the engine, which opens bundles only, and beside the importers; the command line and the
app both open surveys through ``open_path``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from heetui.engine import Survey, open_survey
from heetui.errors import EngineError
from heetui.importers import cached_bundle, input_format, suffixes
from heetui.survey.bundle import bundled_survey_path


def open_path(path: str | Path | None = None, check_data: bool = True,
              progress: Callable[[str, int, int], None] | None = None,
              workspace: str | Path | None = None, edits: bool = True) -> Survey:
    """The survey at ``path`` (the bundled survey when None) with its workspace (the file
    ``workspace`` names, else the one heetui keeps for ``path``; ``edits=False``: none); a
    file is imported into the user's import cache first (keyed by path, size and
    modification time), and its workspace is the file's, whatever bundle it imports to."""
    source = Path(path) if path is not None else bundled_survey_path()
    if workspace is not None and edits:
        _not_the_surveys(Path(workspace), source)
    target = source
    if target.is_file():
        if input_format(target) is None:
            kinds = ", ".join(sorted(suffixes()))
            raise EngineError(f"{target.name} is neither a bundle folder nor a file heetui "
                              f"opens ({kinds}).")
        target = cached_bundle(target, progress)  # SourceError or BundleError, whole
    return open_survey(target, check_data, workspace=workspace, source=source, edits=edits)


def _not_the_surveys(workspace: Path, source: Path) -> None:
    """A workspace is never one of the survey's own files (the file opened, or a bundle's
    codebook and data): edits written there would change the survey."""
    from heetui.output.atomic import IsInput, check_output
    from heetui.survey.write import bundle_inputs

    try:
        check_output(workspace, bundle_inputs(source), replace=True)
    except IsInput:
        raise EngineError(f"The workspace {workspace} is one of the survey's own files, which "
                          "heetui never writes; name another file for the workspace.") from None
