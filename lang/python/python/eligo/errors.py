"""The exceptions eligo raises, each carrying the diagnostics as data.

Every diagnostic is a dict: ``code`` (``"E0301"``), ``severity`` (``"error"`` or
``"warning"``), ``message``, ``help`` (or None), ``file``, ``line``, ``column``, ``end_line``,
``end_column`` (1-based, of the first label; None when the diagnostic points nowhere), and
``labels`` (every place it points at, each with ``file``, ``line``, ``column``, ``end_line``,
``end_column`` and ``text``).
"""

from typing import Any, Dict, List


class EligoError(Exception):
    """Any eligo failure. ``str(e)`` is the rendered report, as the command line prints it."""

    def __init__(self, rendered: str, diagnostics: List[Dict[str, Any]]) -> None:
        super().__init__(rendered)
        self.rendered = rendered
        self.diagnostics = diagnostics

    @property
    def codes(self) -> List[str]:
        """The codes of the diagnostics, in order."""
        return [d["code"] for d in self.diagnostics]


class PolicyError(EligoError):
    """The policies do not compile (syntax, names, types)."""


class FileError(EligoError):
    """A policy file or folder cannot be read."""


class FactsError(EligoError, ValueError):
    """The facts do not match the policies' facts declaration (or are not JSON)."""


class EvaluationError(EligoError):
    """An evaluation failed (a step budget, a division by zero, ...)."""


class RequestError(EligoError, ValueError):
    """A request cannot be served: an unknown outcome id, a date that is not YYYY-MM-DD."""
