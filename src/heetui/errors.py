"""The one root of every error a person can put right, below every layer.

Each front end catches ``HeetuiError`` once and shows ``message()``: on the command line on
stderr with exit status 2, in the app as a notification. Anything else that escapes is a bug
(the app logs it, the command line shows its traceback). The kinds:

- ``EngineError``: a request the engine cannot answer (an unknown question, a bad filter);
  ``engine.disclosure.DisclosureError`` is the kind for comments withheld by the rule.
- ``SourceError``: a file that cannot be imported.
- ``survey.bundle.BundleError``: a bundle that cannot be used, with its whole list of problems.
- ``OutputError``: a file that must not or cannot be written (``output.atomic``).
- ``UserError``: a command line that asks for something impossible.
"""

from __future__ import annotations


class HeetuiError(Exception):
    """Something asked of heetui, or a file given to it, that it cannot use; ``str()`` is one
    sentence for the person."""

    def message(self) -> str:
        """What a front end shows: the sentence (a kind with more to say overrides this)."""
        return str(self)


class EngineError(HeetuiError):
    """A request the engine cannot answer; the message is one sentence for the user."""


class SourceError(HeetuiError):
    """The source cannot be imported; the message is one sentence for the user."""


class OutputError(HeetuiError):
    """A file that must not, or cannot, be written where it was asked for."""


class UserError(HeetuiError):
    """A mistake in a command or its input (the command line's own checks); one sentence."""
