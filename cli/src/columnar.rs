//! `--output parquet` and `--output arrow`: a list as columns, from the core's Arrow export
//! (`ibanera::arrow`): snake_case names, money `decimal128(38, 18)` exact, timestamps in
//! microseconds UTC, enums dictionary-encoded. With `--all`, pages are converted and written
//! one by one as the walk fetches ahead, so memory stays bounded however long the list is.
//!
//! A file given with `--out` is written next to its final name and renamed into place only once
//! complete: a failed export leaves no file that looks whole.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use ibanera::Client;
use ibanera::arrow::arrow_array::RecordBatch;
use ibanera::arrow::arrow_ipc::writer::StreamWriter;
use ibanera::arrow::arrow_schema::{ArrowError, SchemaRef};
use ibanera::arrow::{DEFAULT_PREFETCH, Naming};
use ibanera::ops::{Call, OpSpec};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

use crate::exit::CliError;

/// The columnar formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Parquet,
    Arrow,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "parquet" => Some(Kind::Parquet),
            "arrow" => Some(Kind::Arrow),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Parquet => "parquet",
            Kind::Arrow => "arrow",
        }
    }
}

/// Where the columns go.
enum Sink {
    Parquet(ArrowWriter<Box<dyn Write + Send>>),
    Arrow(StreamWriter<Box<dyn Write + Send>>),
}

fn arrow_error(e: ArrowError) -> CliError {
    match e {
        ArrowError::IoError(_, io) => CliError::Output(io),
        other => CliError::Output(io::Error::other(other.to_string())),
    }
}

fn parquet_error(e: ParquetError) -> CliError {
    match e {
        ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => CliError::Output(*io),
            Err(other) => CliError::Output(io::Error::other(other.to_string())),
        },
        other => CliError::Output(io::Error::other(other.to_string())),
    }
}

impl Sink {
    fn open(kind: Kind, schema: SchemaRef, out: Box<dyn Write + Send>) -> Result<Sink, CliError> {
        Ok(match kind {
            Kind::Parquet => {
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .build();
                Sink::Parquet(
                    ArrowWriter::try_new(out, schema, Some(props)).map_err(parquet_error)?,
                )
            }
            Kind::Arrow => Sink::Arrow(StreamWriter::try_new(out, &schema).map_err(arrow_error)?),
        })
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<(), CliError> {
        match self {
            Sink::Parquet(w) => w.write(batch).map_err(parquet_error),
            Sink::Arrow(w) => {
                w.write(batch).map_err(arrow_error)?;
                // A reader on the other end of a pipe gets each page as it arrives.
                w.flush().map_err(arrow_error)
            }
        }
    }

    fn finish(self) -> Result<(), CliError> {
        match self {
            Sink::Parquet(w) => {
                let mut out = w.into_inner().map_err(parquet_error)?;
                out.flush()?;
            }
            Sink::Arrow(mut w) => {
                w.finish().map_err(arrow_error)?;
                w.into_inner().map_err(arrow_error)?.flush()?;
            }
        }
        Ok(())
    }
}

/// A file written under a temporary name, renamed into place by `commit`; removed if dropped
/// before that.
struct Staged {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staged {
    fn create(target: &Path) -> Result<(Staged, File), CliError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file = File::create(&temp).map_err(|e| {
            CliError::Output(io::Error::new(
                e.kind(),
                format!("cannot create {}: {e}", target.display()),
            ))
        })?;
        Ok((
            Staged {
                temp,
                target: target.to_path_buf(),
                committed: false,
            },
            file,
        ))
    }

    fn commit(mut self) -> Result<(), CliError> {
        std::fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes the list `call` returns (every page with `all`) as `kind` to `out`, or to stdout.
pub async fn export(
    op: &'static OpSpec,
    call: &Call,
    client: &Client,
    kind: Kind,
    out: Option<&Path>,
    all: bool,
    sdk: impl Fn(ibanera::Error) -> CliError,
) -> Result<(), CliError> {
    let naming = Naming::SnakeCase;
    let command = format!("{} {}", op.area(), crate::cli::dashed(op.method()));
    let schema = match call.export_schema(naming) {
        Some(s) => s.map_err(&sdk)?,
        None => {
            let returns = match op.returns {
                ibanera::ops::Returns::Nothing => "returns nothing",
                _ => "returns one object",
            };
            return Err(CliError::Usage(format!(
                "--output {} writes lists; `{command}` {returns} (use --output json)",
                kind.name()
            )));
        }
    };
    if out.is_none() {
        if kind == Kind::Parquet {
            return Err(CliError::Usage(
                "--output parquet needs --out FILE (a Parquet file is written whole)".into(),
            ));
        }
        if io::stdout().is_terminal() {
            return Err(CliError::Usage(
                "--output arrow writes binary data: pipe it (`| duckdb ...`) or pass --out FILE"
                    .into(),
            ));
        }
    }
    let (staged, writer): (Option<Staged>, Box<dyn Write + Send>) = match out {
        Some(path) => {
            let (staged, file) = Staged::create(path)?;
            (Some(staged), Box::new(BufWriter::new(file)))
        }
        None => (None, Box::new(BufWriter::new(io::stdout()))),
    };
    let mut sink = Sink::open(kind, schema.schema(), writer)?;
    let mut walked = None;
    if all {
        let Some(stream) = call.record_batches(client, naming, DEFAULT_PREFETCH) else {
            return Err(CliError::Usage(format!("`{command}` has no pages to walk")));
        };
        let mut stream = stream.map_err(&sdk)?;
        let mut progress = crate::Progress::start();
        let mut rows = 0u64;
        loop {
            let batch = match stream.next_batch().await {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(e) => {
                    progress.abandon();
                    return Err(sdk(e));
                }
            };
            rows += batch.num_rows() as u64;
            progress.suspend(|| sink.write(&batch))?;
            progress.page(stream.number_of_pages(), stream.page_number(), rows);
        }
        walked = Some((progress, rows));
    } else {
        let output = call.run(client).await.map_err(&sdk)?;
        let batch = output
            .into_record_batch(naming)
            .unwrap_or_else(|| {
                Err(ibanera::Error::Config(format!(
                    "`{command}` returned no list (a bug in the CLI)"
                )))
            })
            .map_err(&sdk)?;
        sink.write(&batch)?;
    }
    let written = sink
        .finish()
        .and_then(|()| staged.map_or(Ok(()), Staged::commit));
    if let (Err(_), Some((progress, _))) = (&written, &walked) {
        progress.abandon();
    }
    written?;
    // The summary only once the file is in place.
    if let Some((progress, rows)) = walked {
        let target = out.map(|p| p.display().to_string());
        progress.finish(rows, target.as_deref());
    }
    Ok(())
}
