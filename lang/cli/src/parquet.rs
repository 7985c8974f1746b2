//! Parquet files for `eligo batch`: a population read from a facts column (JSON text, or nested
//! structs and lists), and outcomes written as typed columns. The conversions are the shared
//! crate `eligo-arrow`'s (the Python binding uses the same), so a Parquet population gives the
//! answers its NDJSON gives, row for row.

use arrow_array::{Array, ArrayRef, RecordBatch};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The column a Parquet population's facts are read from.
pub const FACTS_COLUMN: &str = "facts";

/// Rows read from Parquet at a time.
const BATCH_ROWS: usize = 4_096;

/// Whether a path names a Parquet file (by its extension).
pub fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The facts of a Parquet population, one JSON text per row, in file order.
pub struct FactsRows {
    reader: ParquetRecordBatchReader,
    column: Option<ArrayRef>,
    next: usize,
}

impl FactsRows {
    /// Opens the file and checks its `facts` column.
    pub fn open(path: &Path) -> Result<FactsRows, String> {
        let file = File::open(path).map_err(|e| e.to_string())?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| format!("not a Parquet file we can read: {e}"))?;
        let schema = builder.schema().clone();
        let field = schema.field_with_name(FACTS_COLUMN).map_err(|_| {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            format!(
                "has no `{FACTS_COLUMN}` column (its columns: {})",
                names.join(", ")
            )
        })?;
        eligo_arrow::check_facts_type(FACTS_COLUMN, field.data_type())?;
        let reader = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(FactsRows {
            reader,
            column: None,
            next: 0,
        })
    }
}

impl Iterator for FactsRows {
    type Item = Result<String, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(column) = &self.column {
                if self.next < column.len() {
                    let row = self.next;
                    self.next += 1;
                    // A row whose facts cannot be JSON is that row's error, as an unreadable line is.
                    return Some(Ok(eligo_arrow::facts_text(column.as_ref(), row)
                        .unwrap_or_else(|e| format!("\u{0}{e}"))));
                }
            }
            match self.reader.next()? {
                Ok(batch) => {
                    self.column = batch.column_by_name(FACTS_COLUMN).cloned();
                    self.next = 0;
                    if self.column.is_none() {
                        return Some(Err(format!("a row group has no `{FACTS_COLUMN}` column")));
                    }
                }
                Err(e) => return Some(Err(e.to_string())),
            }
        }
    }
}

/// Outcomes written to a Parquet file, under a temporary name until complete.
pub struct ParquetOut {
    writer: ArrowWriter<File>,
    /// The file being written, renamed onto `path` once complete (none: written in place).
    temp: Option<PathBuf>,
    path: PathBuf,
}

impl ParquetOut {
    /// Creates the file (as `PATH.tmp-eligo` until [`ParquetOut::finish`]; a device or a pipe
    /// is written in place, see [`crate::output::Target`]).
    pub fn create(path: &Path, schema: arrow_schema::SchemaRef) -> Result<ParquetOut, String> {
        let (file, temp, path) = match crate::output::Target::of(path) {
            crate::output::Target::InPlace => {
                let file = File::options().write(true).open(path);
                (file.map_err(|e| e.to_string())?, None, path.to_path_buf())
            }
            crate::output::Target::Replace(target) => {
                let mut temp = target.as_os_str().to_owned();
                temp.push(".tmp-eligo");
                let temp = PathBuf::from(temp);
                let file = File::create(&temp).map_err(|e| e.to_string())?;
                (file, Some(temp), target)
            }
        };
        let writer = ArrowWriter::try_new(file, schema, None).map_err(|e| e.to_string())?;
        Ok(ParquetOut { writer, temp, path })
    }

    /// Writes a batch of rows.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        self.writer.write(batch).map_err(|e| e.to_string())
    }

    /// Closes the file and renames it into place.
    pub fn finish(self) -> Result<(), String> {
        self.writer.close().map_err(|e| e.to_string())?;
        match &self.temp {
            Some(temp) => std::fs::rename(temp, &self.path).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }

    /// Removes the temporary file of a failed run.
    pub fn abandon(self) {
        drop(self.writer);
        if let Some(temp) = &self.temp {
            let _ = std::fs::remove_file(temp);
        }
    }
}
