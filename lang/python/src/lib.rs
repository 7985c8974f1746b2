//! `eligo._eligo`: the extension module under the `eligo` Python package (lang/python/python).
//! Thin over the library's front door: policies compiled once, facts read and outcomes evaluated
//! by `eligo::Policies`, Arrow batches through `eligo_arrow` (the same conversion as the command
//! line's Parquet files). JSON crosses into Python as text; the package's Python code parses it
//! (decimals as `decimal.Decimal`). Evaluation runs without the GIL on a thread with the stack
//! every eligo limit needs (`eligo::run_on_big_stack`).

use arrow_array::{Array, RecordBatch};
use arrow_pyarrow::PyArrowType;
use arrow_schema::Schema;
use chrono::NaiveDate;
use eligo::{Batch, EvalOptions, ExplainOptions, FactsOptions, Selection, Worker};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Evaluation allocates many small values (records, lists); mimalloc serves them faster than the
/// system allocator, as in the `eligo` binary (docs/performance.md, "Python and Spark"). Every
/// allocation this module makes is freed by this module (Arrow buffers handed to pyarrow are
/// released through their own callbacks, which run here).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Compiled policies.
#[pyclass(frozen, module = "eligo._eligo")]
struct Policies {
    inner: eligo::Policies,
}

/// An `eligo::Error` as the package's exception (`eligo.errors`), carrying the diagnostics.
fn raise(py: Python<'_>, e: &eligo::Error) -> PyErr {
    let kind = match e {
        eligo::Error::Policies(_) => "PolicyError",
        eligo::Error::Facts(_) => "FactsError",
        eligo::Error::Evaluation(_) => "EvaluationError",
        eligo::Error::Request(_) => "RequestError",
        eligo::Error::File(_) => "FileError",
        _ => "EligoError",
    };
    let build = || -> PyResult<PyErr> {
        let diagnostics = PyList::empty(py);
        for d in e.diagnostics().iter() {
            let item = PyDict::new(py);
            item.set_item("code", d.code)?;
            item.set_item("severity", format!("{:?}", d.severity).to_lowercase())?;
            item.set_item("message", &d.message)?;
            item.set_item("help", &d.help)?;
            let first = d.labels.first();
            item.set_item("file", first.map(|l| l.file.clone()).or(d.file.clone()))?;
            item.set_item("line", first.map(|l| l.line))?;
            item.set_item("column", first.map(|l| l.column))?;
            item.set_item("end_line", first.map(|l| l.end_line))?;
            item.set_item("end_column", first.map(|l| l.end_column))?;
            let labels = PyList::empty(py);
            for l in &d.labels {
                let label = PyDict::new(py);
                label.set_item("file", &l.file)?;
                label.set_item("line", l.line)?;
                label.set_item("column", l.column)?;
                label.set_item("end_line", l.end_line)?;
                label.set_item("end_column", l.end_column)?;
                label.set_item("text", &l.text)?;
                labels.append(label)?;
            }
            item.set_item("labels", labels)?;
            diagnostics.append(item)?;
        }
        let class = py.import("eligo.errors")?.getattr(kind)?;
        let exc = class.call1((e.render(false), diagnostics))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

fn date(py: Python<'_>, as_of: Option<&str>) -> PyResult<Option<NaiveDate>> {
    as_of
        .map(eligo::parse_date)
        .transpose()
        .map_err(|e| raise(py, &e))
}

impl Policies {
    fn selection(&self, py: Python<'_>, outcomes: Option<Vec<String>>) -> PyResult<Selection> {
        self.inner
            .select(&outcomes.unwrap_or_default())
            .map_err(|e| raise(py, &e))
    }

    /// Reads one partner's facts (JSON text) for the selected outcomes and hands them, with the
    /// selection and the evaluation date, to `then`: without the GIL, on a big stack. What
    /// `evaluate_json` and `explain_json` share.
    fn with_facts<T: Send>(
        &self,
        py: Python<'_>,
        facts: &str,
        as_of: Option<&str>,
        outcomes: Option<Vec<String>>,
        then: impl FnOnce(
                &eligo::Policies,
                &eligo::Facts,
                &Selection,
                NaiveDate,
            ) -> Result<T, eligo::Error>
            + Send,
    ) -> PyResult<T> {
        let as_of = date(py, as_of)?;
        let selection = self.selection(py, outcomes)?;
        let policies = &self.inner;
        let done = py.detach(|| {
            eligo::run_on_big_stack(|| {
                let options = FactsOptions::new().for_selection(&selection);
                let facts = policies.read_facts("<facts>", facts, &options)?;
                let date = facts.date(as_of);
                then(policies, &facts, &selection, date)
            })
        });
        done.map_err(|e| raise(py, &e))
    }
}

#[pymethods]
impl Policies {
    /// Compiles the policies of a file or folder; `None`: the standard policies built in.
    #[new]
    #[pyo3(signature = (path=None))]
    fn new(py: Python<'_>, path: Option<std::path::PathBuf>) -> PyResult<Self> {
        let compiled = py.detach(|| {
            eligo::run_on_big_stack(|| match path {
                Some(p) => eligo::Policies::load(p),
                None => eligo::Policies::standard(),
            })
        });
        compiled
            .map(|inner| Policies { inner })
            .map_err(|e| raise(py, &e))
    }

    /// Every outcome id, in id order.
    fn outcome_ids(&self) -> Vec<String> {
        self.inner.outcomes().map(|o| o.id().to_string()).collect()
    }

    /// The `eligo.outcomes/1` JSON text of one partner (what `eligo eval --format json` prints).
    #[pyo3(signature = (facts, as_of=None, outcomes=None))]
    fn evaluate_json(
        &self,
        py: Python<'_>,
        facts: &str,
        as_of: Option<&str>,
        outcomes: Option<Vec<String>>,
    ) -> PyResult<String> {
        self.with_facts(
            py,
            facts,
            as_of,
            outcomes,
            |policies, facts, selection, date| {
                policies
                    .evaluate(facts, selection, date, &EvalOptions::new())?
                    .to_json(true)
            },
        )
    }

    /// The JSON explanation of one partner's outcomes (what `eligo explain --format json`
    /// prints).
    #[pyo3(signature = (facts, as_of=None, outcomes=None))]
    fn explain_json(
        &self,
        py: Python<'_>,
        facts: &str,
        as_of: Option<&str>,
        outcomes: Option<Vec<String>>,
    ) -> PyResult<String> {
        self.with_facts(
            py,
            facts,
            as_of,
            outcomes,
            |policies, facts, selection, date| {
                policies
                    .explain(facts, selection, date, &ExplainOptions::new())
                    .map(|x| x.json())
            },
        )
    }

    /// The Arrow schema of `evaluate_arrow`'s result for these outcomes.
    #[pyo3(signature = (outcomes=None))]
    fn arrow_schema(
        &self,
        py: Python<'_>,
        outcomes: Option<Vec<String>>,
    ) -> PyResult<PyArrowType<Schema>> {
        let selection = self.selection(py, outcomes)?;
        Ok(PyArrowType(eligo_arrow::schema(&self.inner, &selection)))
    }

    /// One row of outcomes per row of `batch`, read from its facts column (JSON text or a
    /// struct): `partner`, `as_of`, one typed column per outcome, `error`.
    #[pyo3(signature = (batch, facts_column="facts", as_of=None, outcomes=None))]
    fn evaluate_arrow(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        facts_column: &str,
        as_of: Option<&str>,
        outcomes: Option<Vec<String>>,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let as_of = date(py, as_of)?;
        let selection = self.selection(py, outcomes)?;
        let batch = batch.0;
        let column = batch.column_by_name(facts_column).ok_or_else(|| {
            let names: Vec<&str> = batch
                .schema_ref()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            PyValueError::new_err(format!(
                "the batch has no column `{facts_column}` (its columns: {})",
                names.join(", ")
            ))
        })?;
        eligo_arrow::check_facts_type(facts_column, column.data_type())
            .map_err(PyValueError::new_err)?;
        let policies = &self.inner;
        let out = py.detach(|| {
            eligo::run_on_big_stack(|| {
                let job = Batch::new(
                    &selection,
                    as_of,
                    chrono::Local::now().date_naive(),
                    &FactsOptions::new(),
                    &EvalOptions::new(),
                );
                let mut worker = Worker::default();
                let mut rows = eligo_arrow::Rows::new(policies, &selection);
                for row in 0..column.len() {
                    match eligo_arrow::facts_text(column.as_ref(), row) {
                        Ok(text) => {
                            rows.push(job.values(policies, row as u64 + 1, &text, &mut worker))
                        }
                        Err(message) => rows.push_error(message),
                    }
                }
                rows.finish()
            })
        });
        out.map(PyArrowType)
            .map_err(|e| PyValueError::new_err(format!("cannot build the outcomes batch: {e}")))
    }
}

/// A Python value (dict, list, str, int, float, bool, None, `decimal.Decimal`,
/// `datetime.date`) as JSON text: decimals exactly, dates as `YYYY-MM-DD`.
#[pyfunction]
fn facts_json(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let mut out = String::new();
    write_json(&mut out, value, 0)?;
    Ok(out)
}

/// Deeper than this is refused: eligo's facts nesting limit is far below it.
const MAX_DEPTH: usize = 512;

fn write_json(out: &mut String, v: &Bound<'_, PyAny>, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "facts nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if v.is_none() {
        out.push_str("null");
    } else if let Ok(b) = v.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if v.cast::<PyInt>().is_ok() {
        out.push_str(&v.str()?.to_cow()?);
    } else if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        if !x.is_finite() {
            return Err(PyValueError::new_err(format!(
                "facts hold the number {x}, which JSON cannot"
            )));
        }
        out.push_str(&v.repr()?.to_cow()?);
    } else if let Ok(s) = v.cast::<PyString>() {
        string(out, &s.to_cow()?);
    } else if let Ok(d) = v.cast::<PyDict>() {
        out.push('{');
        for (i, (k, item)) in d.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let key = k.cast::<PyString>().map_err(|_| {
                PyValueError::new_err(format!(
                    "facts keys must be strings, not {}",
                    k.repr().map(|r| r.to_string()).unwrap_or_default()
                ))
            })?;
            string(out, &key.to_cow()?);
            out.push(':');
            write_json(out, &item, depth + 1)?;
        }
        out.push('}');
    } else if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        out.push('[');
        for (i, item) in v.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_json(out, &item?, depth + 1)?;
        }
        out.push(']');
    } else {
        let class = v.get_type().name()?.to_string();
        match class.as_str() {
            "Decimal" => {
                let text = v.str()?.to_string();
                if !v.call_method0("is_finite")?.is_truthy()? {
                    return Err(PyValueError::new_err(format!(
                        "facts hold the decimal {text}, which JSON cannot"
                    )));
                }
                out.push_str(&text);
            }
            "date" => {
                let text = v.call_method0("isoformat")?.to_string();
                string(out, &text);
            }
            _ => {
                return Err(PyValueError::new_err(format!(
                    "facts cannot hold a Python {class} (use dict, list, str, int, float, bool, None, Decimal or date)"
                )))
            }
        }
    }
    Ok(())
}

/// A JSON string, escaped as the evaluator's JSON output escapes it (the one escaping function).
fn string(out: &mut String, s: &str) {
    eligo::json_string(out, s);
}

#[pymodule]
fn _eligo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Policies>()?;
    m.add_function(wrap_pyfunction!(facts_json, m)?)?;
    m.add("DECIMAL_PRECISION", eligo_arrow::DECIMAL_PRECISION)?;
    m.add("DECIMAL_SCALE", eligo_arrow::DECIMAL_SCALE)?;
    Ok(())
}
