import os
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import pyarrow

from .errors import EligoError as EligoError
from .errors import EvaluationError as EvaluationError
from .errors import FactsError as FactsError
from .errors import FileError as FileError
from .errors import PolicyError as PolicyError
from .errors import RequestError as RequestError

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

DECIMAL_PRECISION: int
DECIMAL_SCALE: int

Facts = Union[str, bytes, Mapping[str, Any]]
Outcomes = Union[None, str, Sequence[str]]
AsOf = Union[None, str, date]

class Policies:
    path: Union[None, str, os.PathLike[str]]
    def __init__(self, path: Union[None, str, os.PathLike[str]] = ...) -> None: ...
    def outcome_ids(self) -> List[str]: ...
    def evaluate(self, facts: Facts, as_of: AsOf = ..., outcomes: Outcomes = ...) -> Dict[str, Any]: ...
    def explain(self, facts: Facts, as_of: AsOf = ..., outcomes: Outcomes = ...) -> Dict[str, Any]: ...
    def arrow_schema(self, outcomes: Outcomes = ...) -> pyarrow.Schema: ...
    def evaluate_arrow(
        self,
        batch: Union[pyarrow.RecordBatch, pyarrow.Table],
        facts_column: str = ...,
        as_of: AsOf = ...,
        outcomes: Outcomes = ...,
    ) -> pyarrow.RecordBatch: ...
