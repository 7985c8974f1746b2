from typing import Any, Optional, Sequence, Union

from . import Policies, AsOf

def policies_for(path: Optional[str]) -> Policies: ...
def loads(policies: Optional[str] = ...) -> int: ...
def evaluate(
    df: Any,
    facts_col: str = ...,
    as_of: AsOf = ...,
    outcomes: Union[None, str, Sequence[str]] = ...,
    policies: Optional[str] = ...,
) -> Any: ...
