"""Opening what a person points heetui at: a bundle folder, or a file of another format
(one of importers.formats) imported first into a cached bundle. This sits above
the engine, which opens bundles only, and beside the importers; the command line and the
app both open surveys through ``open_path``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from heetui.engine import Survey, open_survey, open_waves
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


def parse_waves(text: str) -> list[tuple[str, Path]]:
    """``--waves 2018=PATH,2019=PATH``: each wave's name and survey, in order."""
    out = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        label, sep, path = part.partition("=")
        if not sep or not label.strip() or not path.strip():
            raise EngineError(f"{part!r} is not a wave; write --waves 2018=PATH,2019=PATH.")
        out.append((label.strip(), Path(path.strip())))
    return out


def open_wave_paths(waves: list[tuple[str, Path]], check_data: bool = True,
                    workspace: str | Path | None = None, edits: bool = True) -> Survey:
    """Surveys (bundle folders or files heetui imports) opened as the waves of one survey;
    the workspace is the latest wave's."""
    bundles = []
    for label, path in waves:
        if workspace is not None:
            _not_the_surveys(Path(workspace), path)
        target = path
        if path.is_file():
            if input_format(path) is None:
                raise EngineError(f"{path.name} is neither a bundle folder nor a file heetui "
                                  "opens.")
            target = cached_bundle(path)
        bundles.append((label, target))
    return open_waves(bundles, check_data, workspace=workspace, source=waves[-1][1],
                      edits=edits)


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
