"""The package against the command line: the same answers, the same errors."""

import datetime
import json
from decimal import Decimal

import pyarrow as pa
import pytest

import eligo
from conftest import loads, run_eligo

AS_OF = "2024-08-06"
EXAMPLES = ["contoso-isv.json", "azure-expert-msp.json", "just-below-70.json", "legacy-silver-renewals.json"]


@pytest.fixture(scope="module")
def policies():
    return eligo.Policies()


@pytest.mark.parametrize("name", EXAMPLES)
def test_evaluate_equals_cli_eval_json(policies, repo, name):
    path = repo / "examples" / name
    cli = run_eligo("eval", "--facts", str(path), "--as-of", AS_OF, "--format", "json").stdout
    ours = policies.evaluate(path.read_text(), as_of=AS_OF)
    assert ours == loads(cli)
    assert len(ours["outcomes"]) == len(policies.outcome_ids())


def test_facts_as_dict_equal_facts_as_text(policies, repo):
    text = (repo / "examples" / "contoso-isv.json").read_text()
    as_dict = json.loads(text, parse_float=Decimal)
    assert policies.evaluate(as_dict, as_of=datetime.date(2024, 8, 6)) == policies.evaluate(text, as_of=AS_OF)


def test_outcome_selection_and_ids(policies, repo):
    path = repo / "examples" / "contoso-isv.json"
    cli = run_eligo(
        "eval", "--facts", str(path), "--as-of", AS_OF, "--format", "json", "--outcome", "capability_score"
    ).stdout
    ours = policies.evaluate(path.read_text(), as_of=AS_OF, outcomes="capability_score")
    assert ours == loads(cli)
    assert set(ours["outcomes"]) == {i for i in policies.outcome_ids() if i.startswith("capability_score.")}
    assert policies.outcome_ids() == sorted(policies.outcome_ids())


def test_explain_equals_cli_explain_json(policies, repo):
    path = repo / "examples" / "just-below-70.json"
    cli = run_eligo(
        "explain", "--facts", str(path), "--as-of", AS_OF, "--format", "json", "--outcome", "designation_held.data_ai"
    )
    ours = policies.explain(path.read_text(), as_of=AS_OF, outcomes=["designation_held.data_ai"])
    assert ours == loads(cli.stdout)


def test_policy_error_carries_diagnostics(tmp_path):
    (tmp_path / "main.elg").write_text('rule ok: Bool = true\noutcome "broken" = nosuchthing\n')
    with pytest.raises(eligo.PolicyError) as caught:
        eligo.Policies(tmp_path)
    d = caught.value.diagnostics[0]
    cli = run_eligo("check", str(tmp_path), "--format", "json", check=False)
    assert cli.returncode != 0
    assert d["code"] == caught.value.codes[0] and d["code"].startswith("E")
    assert d["file"].endswith("main.elg") and d["line"] == 2 and d["column"] > 1
    assert "nosuchthing" in d["message"]
    assert d["code"] in cli.stdout
    assert "nosuchthing" in str(caught.value)


def test_facts_and_request_errors(policies):
    with pytest.raises(eligo.FactsError) as caught:
        policies.evaluate('{"format": "eligo.partner-facts/1", "partner": 3}', as_of=AS_OF)
    assert caught.value.codes and caught.value.codes[0].startswith("E04")
    with pytest.raises(eligo.FactsError):
        policies.evaluate("not json", as_of=AS_OF)
    with pytest.raises(eligo.RequestError) as caught:
        policies.evaluate("{}", as_of=AS_OF, outcomes=["no_such_outcome"])
    assert caught.value.codes == ["E0601"]
    with pytest.raises(eligo.RequestError):
        policies.evaluate("{}", as_of="2024-13-01")
    with pytest.raises(ValueError):
        policies.evaluate({"x": float("nan")})
    with pytest.raises(eligo.PolicyError) as caught:
        eligo.Policies("/no/such/folder")
    assert caught.value.codes == ["E0001"]


def test_evaluate_arrow_types_and_values(policies, repo):
    texts = [(repo / "examples" / n).read_text() for n in EXAMPLES]
    batch = pa.RecordBatch.from_pydict({"id": list(range(len(texts))), "facts": texts})
    out = policies.evaluate_arrow(batch, as_of=AS_OF)
    assert out.num_rows == len(texts)
    schema = out.schema
    assert schema.names[:2] == ["partner", "as_of"] and schema.names[-1] == "error"
    assert schema.names[2:-1] == policies.outcome_ids()
    assert schema.field("as_of").type == pa.date32()
    assert schema.field("anniversary").type == pa.date32()
    assert schema.field("annual_fee_usd").type == pa.decimal128(38, 18)
    assert schema.field("can_publish_services_offers").type == pa.bool_()
    assert schema == policies.arrow_schema()
    assert any(pa.types.is_list(f.type) for f in schema), "the standard policies have a list outcome"
    rows = out.to_pylist()
    for text, row in zip(texts, rows):
        expected = policies.evaluate(text, as_of=AS_OF)
        assert row["error"] is None
        assert row["partner"] == expected["partner"]
        assert row["as_of"].isoformat() == expected["as_of"]
        assert normalise_row(row, out.schema) == expected["outcomes"]


def normalise_row(row, schema):
    """An Arrow row as `eligo.outcomes/1` JSON values: dates as text, decimals normalised."""

    def value(v):
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, Decimal):
            return number(v)
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        return v

    return {
        name: value(row[name]) for name in schema.names if name not in ("partner", "as_of", "error")
    }


def number(d):
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else d


def test_evaluate_arrow_drops_nothing(policies, repo):
    good = (repo / "examples" / "contoso-isv.json").read_text()
    batch = pa.RecordBatch.from_pydict({"facts": [good, "not json", None, "", '{"partner": 1}', good]})
    out = policies.evaluate_arrow(batch, as_of=AS_OF, outcomes=["annual_fee_usd", "anniversary"])
    assert out.num_rows == 6
    errors = out.column("error").to_pylist()
    assert errors[0] is None and errors[5] is None
    assert all(e for e in errors[1:5]), errors
    assert out.column("annual_fee_usd").to_pylist()[1:5] == [None] * 4
    assert out.column("partner").to_pylist()[0] == "contoso"
    # the same message `eligo batch` writes for the same line
    ndjson = "\n".join(["not json"]) + "\n"
    cli = run_eligo_batch(ndjson)
    assert json.loads(cli[0])["error"] == errors[1]


def run_eligo_batch(ndjson: str):
    import subprocess

    from conftest import eligo_bin

    done = subprocess.run(
        [eligo_bin(), "batch", "--population", "-", "--as-of", AS_OF, "--outcome", "annual_fee_usd", "--outcome", "anniversary"],
        input=ndjson, capture_output=True, text=True,
    )
    return done.stdout.splitlines()


def test_struct_facts_equal_json_facts(policies, repo):
    texts = [(repo / "examples" / n).read_text() for n in EXAMPLES]
    # pyarrow infers a struct from the parsed documents (missing keys become nulls, left out)
    structs = pa.array([json.loads(t) for t in texts])
    assert pa.types.is_struct(structs.type)
    as_struct = policies.evaluate_arrow(pa.RecordBatch.from_arrays([structs], names=["facts"]), as_of=AS_OF)
    as_text = policies.evaluate_arrow(pa.RecordBatch.from_pydict({"facts": texts}), as_of=AS_OF)
    assert as_struct.to_pylist() == as_text.to_pylist()
    table = pa.Table.from_batches([pa.RecordBatch.from_pydict({"facts": texts})])
    assert policies.evaluate_arrow(table, as_of=AS_OF).to_pylist() == as_text.to_pylist()


def test_missing_facts_column_is_an_error(policies):
    with pytest.raises(ValueError, match="no column `facts`"):
        policies.evaluate_arrow(pa.RecordBatch.from_pydict({"x": [1]}))
    with pytest.raises(ValueError, match="expected JSON text"):
        policies.evaluate_arrow(pa.RecordBatch.from_pydict({"facts": [1]}))


def today_between(check):
    """Runs check(today) with the date before and after it, so that midnight cannot fail it."""
    before = datetime.date.today()
    result = check()
    after = datetime.date.today()
    assert result in (before.isoformat(), after.isoformat()), result


def test_as_of_none_is_the_facts_own_else_today(policies, repo):
    dated = json.loads((repo / "examples" / "business-apps-enterprise.json").read_text())
    assert dated["as_of"] == "2023-11-15"
    assert policies.evaluate(dated) == policies.evaluate(dated, as_of="2023-11-15")
    assert policies.explain(dated, outcomes="annual_fee_usd")["as_of"] == "2023-11-15"
    undated = {k: v for k, v in dated.items() if k != "as_of"}
    today_between(lambda: policies.evaluate(undated, outcomes="annual_fee_usd")["as_of"])

    batch = pa.RecordBatch.from_pydict({"facts": [json.dumps(dated), json.dumps(undated)]})
    out = policies.evaluate_arrow(batch, outcomes="annual_fee_usd")
    assert out.column("error").to_pylist() == [None, None]
    dates = out.column("as_of").to_pylist()
    assert dates[0] == datetime.date(2023, 11, 15)
    today_between(lambda: dates[1].isoformat())
    # the date given wins over the facts' own
    given = policies.evaluate_arrow(batch, as_of=AS_OF, outcomes="annual_fee_usd").column("as_of").to_pylist()
    assert given == [datetime.date(2024, 8, 6)] * 2


@pytest.mark.parametrize(
    "policy_path, facts_path",
    [
        ("examples/partner-tiers", "examples/partner-tiers/facts/northwind.json"),  # a folder
        ("tests/cli/tiny.elg", "tests/cli/tiny.json"),  # a file
    ],
)
def test_custom_policies_equal_cli_eval(repo, policy_path, facts_path):
    custom = eligo.Policies(repo / policy_path)
    cli = loads(run_eligo("eval", policy_path, "--facts", facts_path, "--format", "json").stdout)
    ours = custom.evaluate((repo / facts_path).read_text())
    assert ours == cli
    assert custom.outcome_ids() == sorted(cli["outcomes"])
    assert repr(custom) == f"eligo.Policies({str(repo / policy_path)!r}, {len(cli['outcomes'])} outcomes)"
