// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// `eligo batch` and `eligo generate`: one line out per line in, in order; the same outcomes as `eligo eval`.

#[test]
fn batch_gives_one_line_per_input_line_in_order() {
    let input = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}\n\
                 \n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"b\"},\"tier\":\"gild\"}\n\
                 not json\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"c\"},\"tier\":\"bronze\"}\n";
    let run = eligo([
        "batch",
        "tiny.elg",
        "--population",
        "-",
        "--as-of",
        "2024-08-06",
        "--outcome",
        "tier",
        "--outcome",
        "qualifies",
    ])
    .dir(&fixtures())
    .stdin_bytes(input.as_bytes().to_vec())
    .run();
    run.exits(1).stderr_has("batch: 5 partner(s), 3 error(s)");
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(lines[0]["partner"], "a");
    assert_eq!(lines[0]["outcomes"]["tier"], "gold");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("empty line"));
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["partner"], "b");
    let error = lines[2]["error"].as_str().unwrap();
    assert!(
        error.starts_with("E0402: tier: `gild`"),
        "the code comes first: {error}"
    );
    assert_eq!(lines[3]["line"], 4);
    let error = lines[3]["error"].as_str().unwrap();
    assert!(
        error.starts_with("E0401: "),
        "the code comes first: {error}"
    );
    assert_eq!(lines[4]["outcomes"]["tier"], "bronze");
    assert_eq!(lines[4]["as_of"], "2024-08-06");
}

#[test]
fn batch_of_good_lines_exits_0_and_matches_eval() {
    let facts = std::fs::read_to_string(fixtures().join("tiny.json")).unwrap();
    let doc: Json = serde_json::from_str(&facts).unwrap();
    let line = serde_json::to_string(&doc).unwrap();
    let run = eligo(["batch", "tiny.elg", "--population", "-"])
        .dir(&fixtures())
        .stdin_bytes(format!("{line}\n{line}\n").into_bytes())
        .run();
    run.exits(0).stderr_has("batch: 2 partner(s), 0 error(s)");
    let eval = eligo([
        "eval",
        "tiny.elg",
        "--facts",
        "tiny.json",
        "--format",
        "json",
    ])
    .dir(&fixtures())
    .run()
    .json();
    for l in run.stdout.lines() {
        let got: Json = serde_json::from_str(l).unwrap();
        assert_eq!(got, eval, "batch and eval agree");
    }
}

#[test]
fn generate_is_deterministic_and_batch_reads_it() {
    let tmp = TempDir::new("generate");
    let a = eligo(["generate", "--partners", "20", "--seed", "7"]).run();
    a.exits(0);
    let b = eligo(["generate", "--partners", "20", "--seed", "7"]).run();
    assert_eq!(a.stdout, b.stdout, "the same seed gives the same bytes");
    assert_eq!(a.stdout.lines().count(), 20);
    tmp.write("population.ndjson", &a.stdout);
    let run = eligo([
        "batch",
        "--population",
        "population.ndjson",
        "--out",
        "outcomes.ndjson",
        "--outcome",
        "designation_held",
    ])
    .dir(tmp.path())
    .run();
    run.exits(0).stderr_has("batch: 20 partner(s), 0 error(s)");
    assert!(run.stdout.is_empty(), "--out takes the outcomes");
    let out = std::fs::read_to_string(tmp.path().join("outcomes.ndjson")).unwrap();
    assert_eq!(out.lines().count(), 20);
}

#[test]
fn batch_counts_enums_and_numbers_and_a_trailing_blank_line_is_no_record() {
    let input = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"b\"},\"tier\":\"gold\"}\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"c\"},\"tier\":\"bronze\"}\n\
                 \n   \n";
    let run = eligo(["batch", "tiny.elg", "--population", "-", "--as-of", "2024-08-06"])
        .dir(&fixtures())
        .stdin_bytes(input.as_bytes().to_vec())
        .run();
    run.exits(0).stderr_has("batch: 3 partner(s), 0 error(s)");
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    let tier = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("tier "))
        .unwrap_or_else(|| panic!("no tier line:\n{}", run.stderr));
    assert!(tier.ends_with("gold 2, bronze 1"), "{tier}");
    assert!(
        run.stderr.lines().any(|l| l.contains(" min ") && l.contains(" max ")),
        "no number summary:\n{}",
        run.stderr
    );
}

/// A Parquet file with one column of facts as JSON text (a null row too).
fn facts_parquet(path: &std::path::Path, rows: &[Option<&str>]) {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    let column: ArrayRef = std::sync::Arc::new(StringArray::from(rows.to_vec()));
    let batch = RecordBatch::try_from_iter([("facts", column)]).expect("a batch");
    let file = std::fs::File::create(path).expect("creating the Parquet file");
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
        .expect("a Parquet writer");
    writer.write(&batch).expect("writing Parquet");
    writer.close().expect("closing Parquet");
}

#[test]
fn batch_reads_and_writes_parquet_with_the_answers_of_ndjson() {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    let a = r#"{"format":"eligo.cli-test/1","partner":{"id":"a"},"tier":"gold"}"#;
    let b = r#"{"format":"eligo.cli-test/1","partner":{"id":"b"},"tier":"gild"}"#;
    let c = r#"{"format":"eligo.cli-test/1","partner":{"id":"c"},"tier":"bronze"}"#;
    let rows = [Some(a), Some(b), Some("not json"), None, Some(c)];
    let dir = TempDir::new("batch-parquet");
    let population = dir.path().join("partners.parquet");
    facts_parquet(&population, &rows);
    let ndjson: String = rows.iter().map(|r| format!("{}\n", r.unwrap_or("null"))).collect();
    let args = |population: &str, out: &str| {
        vec![
            "batch".to_string(),
            fixtures().join("tiny.elg").display().to_string(),
            "--population".into(),
            population.into(),
            "--as-of".into(),
            "2024-08-06".into(),
            "--out".into(),
            dir.path().join(out).display().to_string(),
        ]
    };
    let from_ndjson = eligo(args("-", "a.ndjson"))
        .stdin_bytes(ndjson.into_bytes())
        .run();
    from_ndjson.exits(1).stderr_has("batch: 5 partner(s), 3 error(s)");
    let from_parquet = eligo(args(&population.display().to_string(), "b.ndjson")).run();
    from_parquet
        .exits(1)
        .stderr_has("batch: 5 partner(s), 3 error(s)");
    let expected = std::fs::read_to_string(dir.path().join("a.ndjson")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.ndjson")).unwrap(),
        expected,
        "a Parquet population gives the lines its NDJSON gives"
    );

    // Parquet out: one row per partner, in order, typed columns, errors in `error`.
    eligo(args(&population.display().to_string(), "c.parquet"))
        .run()
        .exits(1)
        .stderr_has("-> ");
    let file = std::fs::File::open(dir.path().join("c.parquet")).unwrap();
    let batches: Vec<arrow_array::RecordBatch> =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
            .map(|b| b.unwrap())
            .collect();
    assert_eq!(batches.len(), 1, "five rows are one row group");
    let batch = &batches[0];
    assert_eq!(batch.num_rows(), 5);
    let names: Vec<String> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("partner"));
    assert_eq!(names.last().map(String::as_str), Some("error"));
    let partner = batch.column_by_name("partner").unwrap().as_string::<i32>();
    let error = batch.column_by_name("error").unwrap().as_string::<i32>();
    let tier = batch.column_by_name("tier").unwrap().as_string::<i32>();
    for (i, line) in expected.lines().enumerate() {
        let line: Json = serde_json::from_str(line).unwrap();
        match line.get("error") {
            Some(e) => {
                assert_eq!(error.value(i), e.as_str().unwrap(), "row {i}");
                assert!(tier.is_null(i));
            }
            None => {
                assert!(error.is_null(i), "row {i}");
                assert_eq!(partner.value(i), line["partner"].as_str().unwrap());
                assert_eq!(tier.value(i), line["outcomes"]["tier"].as_str().unwrap());
            }
        }
    }
}

/// A Parquet file whose `facts` column is a struct, as Spark and pyarrow write nested data: the
/// rows of [`NESTED_NDJSON`] (a null struct field, an empty list, a null row; dates as date32,
/// money as decimal128(10, 2)).
fn nested_facts_parquet(path: &std::path::Path) {
    use arrow_array::builder::{NullBufferBuilder, OffsetBufferBuilder};
    use arrow_array::{ArrayRef, Date32Array, Decimal128Array, ListArray, RecordBatch};
    use arrow_array::{StringArray, StructArray};
    use arrow_schema::{DataType, Field, Fields};
    use std::sync::Arc;
    let text = |v: Vec<Option<&str>>| -> ArrayRef { Arc::new(StringArray::from(v)) };
    let field = |name: &str, a: &ArrayRef| Arc::new(Field::new(name, a.data_type().clone(), true));
    let structure = |columns: Vec<(&str, ArrayRef)>, nulls| -> ArrayRef {
        let fields: Fields = columns.iter().map(|(n, a)| field(n, a)).collect();
        let arrays = columns.into_iter().map(|(_, a)| a).collect();
        Arc::new(StructArray::try_new(fields, arrays, nulls).expect("a struct"))
    };
    // 2024-03-15, 2024-08-06 (row a), none (row b), 2023-08-06 (row c): days since 1970-01-01
    let amounts = Decimal128Array::from(vec![64_990, 10_000, 90_000])
        .with_precision_and_scale(10, 2)
        .expect("a decimal");
    let sale = structure(
        vec![
            ("date", Arc::new(Date32Array::from(vec![19_797, 19_941, 19_575]))),
            ("amount_usd", Arc::new(amounts)),
            ("customer", text(vec![Some("c1"), Some("c2"), Some("c-old")])),
        ],
        None,
    );
    let mut offsets = OffsetBufferBuilder::<i32>::new(4);
    [2, 0, 0, 1].into_iter().for_each(|n| offsets.push_length(n));
    let item = Arc::new(Field::new_list_field(sale.data_type().clone(), true));
    let sales: ArrayRef =
        Arc::new(ListArray::try_new(item, offsets.finish(), sale, None).expect("a list"));
    let partner = structure(
        vec![
            ("id", text(vec![Some("a"), Some("b"), Some("-"), Some("c")])),
            ("name", text(vec![Some("A Co"), None, None, None])),
        ],
        None,
    );
    let mut rows = NullBufferBuilder::new(4);
    rows.append_n_non_nulls(2);
    rows.append_null();
    rows.append_non_null();
    let facts = structure(
        vec![
            ("format", text(vec![Some("eligo.cli-test/1"); 4])),
            ("as_of", Arc::new(Date32Array::from(vec![19_941, 19_941, 0, 19_692]))),
            ("partner", partner),
            ("tier", text(vec![Some("gold"), Some("gild"), None, Some("bronze")])),
            ("sales", sales),
        ],
        rows.finish(),
    );
    assert!(matches!(facts.data_type(), DataType::Struct(_)));
    let batch = RecordBatch::try_from_iter([("facts", facts)]).expect("a batch");
    let file = std::fs::File::create(path).expect("creating the Parquet file");
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None)
        .expect("a Parquet writer");
    writer.write(&batch).expect("writing Parquet");
    writer.close().expect("closing Parquet");
}

/// The population of [`nested_facts_parquet`] as NDJSON.
const NESTED_NDJSON: &str = r#"{"format":"eligo.cli-test/1","as_of":"2024-08-06","partner":{"id":"a","name":"A Co"},"tier":"gold","sales":[{"date":"2024-03-15","amount_usd":"649.90","customer":"c1"},{"date":"2024-08-06","amount_usd":"100.00","customer":"c2"}]}
{"format":"eligo.cli-test/1","as_of":"2024-08-06","partner":{"id":"b"},"tier":"gild","sales":[]}
null
{"format":"eligo.cli-test/1","as_of":"2023-12-01","partner":{"id":"c"},"tier":"bronze","sales":[{"date":"2023-08-06","amount_usd":"900.00","customer":"c-old"}]}
"#;

/// `--population X.parquet` whose facts are nested structs (what `eligo batch --help` says it
/// reads): the lines of the same population as NDJSON, byte for byte.
#[test]
fn batch_reads_parquet_of_nested_facts_with_the_answers_of_ndjson() {
    let dir = TempDir::new("batch-parquet-nested");
    let population = dir.path().join("nested.parquet");
    nested_facts_parquet(&population);
    let from_ndjson = eligo(["batch", "tiny.elg", "--population", "-"])
        .dir(&fixtures())
        .stdin_bytes(NESTED_NDJSON.as_bytes().to_vec())
        .run();
    from_ndjson
        .exits(1)
        .stderr_has("batch: 4 partner(s), 2 error(s)");
    let path = population.display().to_string();
    let from_parquet = eligo(["batch", "tiny.elg", "--population", path.as_str()])
        .dir(&fixtures())
        .run();
    from_parquet
        .exits(1)
        .stderr_has("batch: 4 partner(s), 2 error(s)");
    assert_eq!(from_parquet.stdout, from_ndjson.stdout);
    let lines: Vec<Json> = from_parquet
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines[0]["outcomes"]["sales.recent_total_usd"], 749.9);
    assert_eq!(lines[0]["outcomes"]["partner.name"], "A Co");
    assert!(lines[1]["error"].as_str().unwrap().starts_with("E0402: tier: `gild`"));
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["as_of"], "2023-12-01");
    assert_eq!(lines[3]["outcomes"]["partner.name"], Json::Null);
    assert_eq!(lines[3]["outcomes"]["sales.first"], "2023-08-06");
}

/// Issue 17, item 10: a line that is not UTF-8 gets the error of a facts file that is not UTF-8
/// (`E0401 … not UTF-8 (at byte N)`), not a JSON syntax error about the reader's own marker; a
/// byte order mark before the first line is skipped, as `eval` skips one before its facts.
#[test]
fn batch_lines_that_cannot_be_read_get_their_own_messages() {
    let good = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}";
    let mut input = Vec::new();
    input.extend_from_slice("\u{feff}".as_bytes());
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"\n{\"format\":\"eligo.cli-test/1\",\"tier\":\"\xff\"}\n");
    input.extend_from_slice(good.as_bytes());
    input.push(b'\n');
    let run = eligo([
        "batch",
        "tiny.elg",
        "--population",
        "-",
        "--as-of",
        "2024-08-06",
        "--outcome",
        "tier",
    ])
    .dir(&fixtures())
    .stdin_bytes(input)
    .run();
    run.exits(1).stderr_has("batch: 3 partner(s), 1 error(s)");
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines[0]["outcomes"]["tier"], "gold", "the BOM is skipped");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(
        lines[1]["error"],
        "E0401: facts are not valid JSON: not UTF-8 (at byte 37)"
    );
    assert_eq!(lines[2]["outcomes"]["tier"], "gold");
}
