"""eligo from Python: the policies compiled once, then partners evaluated and explained.

>>> import eligo
>>> policies = eligo.Policies()          # the standard policies built in; or Policies("path/")
>>> result = policies.evaluate({"format": "eligo.partner-facts/1", "partner": {"id": "p"}},
...                            as_of="2024-08-06", outcomes=["anniversary"])

``evaluate`` and ``explain`` return what ``eligo eval --format json`` and
``eligo explain --format json`` print, parsed with decimals as ``decimal.Decimal`` (exact).
``evaluate_arrow`` evaluates a ``pyarrow.RecordBatch`` of facts into typed outcome columns;
``eligo.spark`` does it on Apache Spark. See docs/python.md and docs/spark.md.
"""

import json
import os
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _eligo
from .errors import (
    EligoError,
    EvaluationError,
    FactsError,
    FileError,
    PolicyError,
    RequestError,
)

__all__ = [
    "Policies",
    "EligoError",
    "PolicyError",
    "FileError",
    "FactsError",
    "EvaluationError",
    "RequestError",
    "DECIMAL_PRECISION",
    "DECIMAL_SCALE",
]

#: decimal128 precision and scale of decimal outcome columns (Money, Decimal, Percent).
DECIMAL_PRECISION: int = _eligo.DECIMAL_PRECISION
DECIMAL_SCALE: int = _eligo.DECIMAL_SCALE

Facts = Union[str, bytes, Mapping[str, Any]]
Outcomes = Union[None, str, Sequence[str]]
AsOf = Union[None, str, date]


def _facts_text(facts: Facts) -> str:
    if isinstance(facts, str):
        return facts
    if isinstance(facts, (bytes, bytearray)):
        return bytes(facts).decode("utf-8")
    return _eligo.facts_json(facts)


def _date(as_of: Any) -> Optional[str]:
    if as_of is None or isinstance(as_of, str):
        return as_of
    return as_of.isoformat()


def _outcomes(outcomes: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    if outcomes is None:
        return None
    if isinstance(outcomes, str):
        return [outcomes]
    return list(outcomes)


class Policies:
    """Policies compiled once: a policy file or folder, or (``path=None``) the standard
    policies built in. Raises :class:`PolicyError` (or :class:`FileError`) with the
    diagnostics when they do not compile. Safe to share between threads."""

    def __init__(self, path: Union[None, str, "os.PathLike[str]"] = None) -> None:
        self.path = path
        self._inner = _eligo.Policies(None if path is None else str(path))

    def outcome_ids(self) -> List[str]:
        """Every outcome id, in id order."""
        return self._inner.outcome_ids()

    def evaluate(
        self,
        facts: Facts,
        as_of: Any = None,
        outcomes: Union[None, str, Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """One partner's outcomes: the ``eligo.outcomes/1`` object that ``eligo eval --format
        json`` prints (``format``, ``as_of``, ``partner``, ``outcomes``), decimals as
        ``Decimal``. ``facts``: a dict (values: str, int, float, bool, None, list, dict,
        Decimal, date) or JSON text. ``as_of``: ``"YYYY-MM-DD"`` or a ``date`` (default: the
        facts' ``as_of``, else today). ``outcomes``: ids or prefixes of ids (default: all)."""
        text = self._inner.evaluate_json(_facts_text(facts), _date(as_of), _outcomes(outcomes))
        return json.loads(text, parse_float=Decimal)

    def explain(
        self,
        facts: Facts,
        as_of: Any = None,
        outcomes: Union[None, str, Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """Why (or why not) each outcome has its value: what ``eligo explain --format json``
        prints, parsed."""
        text = self._inner.explain_json(_facts_text(facts), _date(as_of), _outcomes(outcomes))
        return json.loads(text, parse_float=Decimal)

    def arrow_schema(self, outcomes: Union[None, str, Sequence[str]] = None) -> Any:
        """The ``pyarrow.Schema`` of :meth:`evaluate_arrow`'s result."""
        return self._inner.arrow_schema(_outcomes(outcomes))

    def evaluate_arrow(
        self,
        batch: Any,
        facts_column: str = "facts",
        as_of: Any = None,
        outcomes: Union[None, str, Sequence[str]] = None,
    ) -> Any:
        """A ``pyarrow.RecordBatch`` of partners in, one of outcomes out: one row per input row,
        in order, with columns ``partner``, ``as_of``, one per outcome (typed: boolean, int64,
        decimal128(38, 18), date32, string, list, struct) and ``error`` (the message of a row
        whose facts or evaluation failed; its other columns are null). ``facts_column`` holds
        JSON text or a struct of facts. A ``pyarrow.Table`` is accepted too (its batches are
        combined)."""
        if hasattr(batch, "combine_chunks") and hasattr(batch, "to_batches"):
            batches = batch.combine_chunks().to_batches()
            if not batches:
                import pyarrow as pa

                batch = pa.RecordBatch.from_pylist([], schema=batch.schema)
            else:
                batch = batches[0]
        return self._inner.evaluate_arrow(batch, facts_column, _date(as_of), _outcomes(outcomes))

    def __repr__(self) -> str:
        where = "standard policies" if self.path is None else repr(str(self.path))
        return f"eligo.Policies({where}, {len(self.outcome_ids())} outcomes)"
