"""eligo on Apache Spark: the same policies, the same answers, where the data lives.

``evaluate(df, facts_col="facts", as_of=None, outcomes=None, policies=None)`` returns a
DataFrame with one row per row of ``df``: the other columns of ``df`` as they were, then
``partner``, ``as_of``, one typed column per outcome (named by its id: write ``df["`a.b`"]`` or
``F.col("`a.b`")`` for ids with dots) and ``error``. It runs on ``DataFrame.mapInArrow``: a map
with no shuffle, each task's Arrow batches handed to :meth:`eligo.Policies.evaluate_arrow`.
Policies compile once per executor Python process (a module-level cache), not once per task or
batch. ``facts_col`` is JSON text (a string column, e.g. ``spark.read.text`` of NDJSON) or
nested columns (a struct of structs and arrays, e.g. ``spark.read.json`` or Parquet); nested
facts are turned into JSON in the executor, null fields left out.

``policies`` is a policy file or folder path that every executor can read (a shared file
system, or the same path on every node), or None for the standard policies built in.
"""

from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import eligo

_CACHE: Dict[Optional[str], "eligo.Policies"] = {}
_LOADS: Dict[Optional[str], int] = {}


def policies_for(path: Optional[str]) -> "eligo.Policies":
    """The policies of a path, compiled once per Python process."""
    found = _CACHE.get(path)
    if found is None:
        found = eligo.Policies(path)
        _CACHE[path] = found
        _LOADS[path] = _LOADS.get(path, 0) + 1
    return found


def loads(policies: Optional[str] = None) -> int:
    """How many times this process compiled the policies at ``policies`` (None: the standard
    policies); for tests, which expect 1 in every executor process that evaluated them."""
    return _LOADS.get(None if policies is None else str(policies), 0)


def _outcome_fields(
    policies: Optional[str], outcomes: Optional[List[str]]
) -> Tuple[Any, Any]:
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = policies_for(policies).arrow_schema(outcomes)
    return schema, from_arrow_schema(schema)


def evaluate(
    df: Any,
    facts_col: str = "facts",
    as_of: Any = None,
    outcomes: Union[None, str, Sequence[str]] = None,
    policies: Optional[str] = None,
) -> Any:
    """Evaluates every row of ``df`` (see the module's documentation)."""
    from pyspark.sql.types import StructType

    if facts_col not in df.columns:
        raise ValueError(f"the DataFrame has no column `{facts_col}` (its columns: {', '.join(df.columns)})")
    path = None if policies is None else str(policies)
    chosen = eligo._outcomes(outcomes)
    day = eligo._date(as_of)
    _, spark_fields = _outcome_fields(path, chosen)
    kept = [f for f in df.schema.fields if f.name != facts_col]
    clash = sorted({f.name for f in kept} & {f.name for f in spark_fields.fields})
    if clash:
        raise ValueError(
            f"the DataFrame's columns {', '.join(clash)} clash with eligo's result columns; rename them first"
        )
    out_schema = StructType(kept + list(spark_fields.fields))
    kept_names = [f.name for f in kept]

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        compiled = policies_for(path)
        for batch in batches:
            result = compiled.evaluate_arrow(batch, facts_col, day, chosen)
            columns = [batch.column(n) for n in kept_names] + list(result.columns)
            names = kept_names + list(result.schema.names)
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return df.mapInArrow(run, out_schema)
