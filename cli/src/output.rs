//! The output formats. Values arrive in the core's user-facing JSON form (camelCase keys, money
//! as exact decimal strings, RFC 3339 UTC timestamps); no format ever turns money into a float.
//!
//! - `json`: one value pretty-printed; a `--all` walk is one JSON array streamed with one
//!   compact item per line (`[`, items, `]`).
//! - `jsonl`: one compact JSON value per line.
//! - `csv`: a header from the first item's keys (`id` first, then in the model's order), one row per
//!   item; null is an empty cell, nested objects and lists are JSON-encoded in their cell.
//! - `table`: the same columns fitted to the terminal width; a single object is shown as
//!   `field  value` lines with nested fields flattened (`achTransferDetails.direction`).

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::table::{Layout, sanitize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "table" => Format::Table,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "csv" => Format::Csv,
            _ => return None,
        })
    }
}

/// The keys of an object in display order: `id` first, then as the model orders them.
pub fn ordered_keys(map: &Map<String, Value>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(map.len());
    if map.contains_key("id") {
        keys.push("id".to_string());
    }
    keys.extend(map.keys().filter(|k| *k != "id").cloned());
    keys
}

/// The text of a CSV or table cell.
pub fn cell(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Null => Cow::Borrowed(""),
        Value::String(s) => Cow::Borrowed(s),
        Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Value::Number(n) => Cow::Owned(n.to_string()),
        other => Cow::Owned(other.to_string()),
    }
}

/// The columns of a list of items (the keys of the first object; `value` for scalars).
fn columns_of(item: &Value) -> Vec<String> {
    match item {
        Value::Object(map) => ordered_keys(map),
        _ => vec!["value".to_string()],
    }
}

fn row_of<'a>(columns: &[String], item: &'a Value) -> Vec<Cow<'a, str>> {
    match item {
        Value::Object(map) => columns
            .iter()
            .map(|c| map.get(c).map(cell).unwrap_or(Cow::Borrowed("")))
            .collect(),
        other => vec![cell(other)],
    }
}

/// Writes the items of a list, page by page, without keeping earlier pages.
pub struct ListWriter<W: Write> {
    format: Format,
    out: Option<W>,
    csv: Option<csv::Writer<W>>,
    columns: Option<Vec<String>>,
    layout: Option<Layout>,
    width: Option<usize>,
    /// More pages may follow the first one (a `--all` walk).
    streaming: bool,
    items: u64,
}

impl<W: Write> ListWriter<W> {
    /// A writer for one complete list.
    pub fn new(format: Format, out: W, width: Option<usize>) -> Self {
        ListWriter {
            format,
            out: Some(out),
            csv: None,
            columns: None,
            layout: None,
            width,
            streaming: false,
            items: 0,
        }
    }

    /// A writer for a list that arrives page by page.
    pub fn streaming(format: Format, out: W, width: Option<usize>) -> Self {
        ListWriter {
            streaming: true,
            ..ListWriter::new(format, out, width)
        }
    }

    /// How many items were written.
    pub fn count(&self) -> u64 {
        self.items
    }

    fn out(&mut self) -> &mut W {
        // `out` is only taken by the CSV writer, and then only `csv` is used.
        self.out.as_mut().expect("writer present")
    }

    /// Appends items and flushes, so a reader sees each page as it arrives.
    pub fn write_items(&mut self, items: &[Value]) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        match self.format {
            Format::Json => {
                for item in items {
                    let lead: &[u8] = if self.items == 0 { b"[\n" } else { b",\n" };
                    let w = self.out();
                    w.write_all(lead)?;
                    serde_json::to_writer(&mut *w, item)?;
                    self.items += 1;
                }
            }
            Format::Jsonl => {
                for item in items {
                    let w = self.out();
                    serde_json::to_writer(&mut *w, item)?;
                    w.write_all(b"\n")?;
                    self.items += 1;
                }
            }
            Format::Csv => {
                if self.csv.is_none() {
                    let columns = columns_of(&items[0]);
                    let out = self.out.take().expect("writer present");
                    let mut csv = csv::Writer::from_writer(out);
                    csv.write_record(&columns)?;
                    self.columns = Some(columns);
                    self.csv = Some(csv);
                }
                let (Some(csv), Some(columns)) = (self.csv.as_mut(), self.columns.as_ref()) else {
                    return Ok(());
                };
                for item in items {
                    let row = row_of(columns, item);
                    csv.write_record(row.iter().map(|c| c.as_bytes()))?;
                    self.items += 1;
                }
                csv.flush()?;
                return Ok(());
            }
            Format::Table => {
                if self.layout.is_none() {
                    let columns = table_columns(items, !self.streaming);
                    let sample: Vec<Vec<String>> =
                        items.iter().map(|i| table_row(&columns, i)).collect();
                    let layout =
                        Layout::plan(columns.clone(), &sample, self.width, !self.streaming);
                    let (header, rule) = (layout.header(), layout.rule());
                    let w = self.out();
                    writeln!(w, "{header}")?;
                    writeln!(w, "{rule}")?;
                    self.columns = Some(columns);
                    self.layout = Some(layout);
                }
                let (Some(layout), Some(columns)) = (self.layout.as_ref(), self.columns.as_ref())
                else {
                    return Ok(());
                };
                let lines: Vec<String> = items
                    .iter()
                    .map(|item| layout.row(&table_row(columns, item)))
                    .collect();
                self.items += items.len() as u64;
                let w = self.out();
                for line in lines {
                    writeln!(w, "{line}")?;
                }
            }
        }
        self.out().flush()
    }

    /// Closes the list (the JSON array's `]`) and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::Json => {
                let end: &[u8] = if self.items == 0 { b"[]\n" } else { b"\n]\n" };
                self.out().write_all(end)?;
            }
            Format::Table if self.items == 0 => crate::exit::note("(no items)"),
            Format::Table => {
                let dropped = self
                    .layout
                    .as_ref()
                    .map(|l| l.dropped.clone())
                    .unwrap_or_default();
                if !dropped.is_empty() {
                    // After the table (stdout first), so the note is read after the rows.
                    self.out().flush()?;
                    crate::exit::note(&format!(
                        "({} column(s) do not fit the width and are not shown: {}; use \
                         --output json or csv for every field)",
                        dropped.len(),
                        dropped.join(", ")
                    ));
                }
            }
            _ => {}
        }
        let mut out = match self.csv.take() {
            Some(csv) => csv.into_inner().map_err(|e| e.into_error())?,
            None => self.out.take().expect("writer present"),
        };
        out.flush()?;
        Ok(out)
    }
}

/// Table columns: the first item's keys; for a complete list, without those empty in every
/// row (a table is for reading; `--output csv` keeps every column). A stream keeps them all: a
/// later page may fill them.
fn table_columns(items: &[Value], complete: bool) -> Vec<String> {
    let all = columns_of(&items[0]);
    if !complete || !items[0].is_object() {
        return all;
    }
    let filled: Vec<String> = all
        .iter()
        .filter(|c| {
            items
                .iter()
                .any(|i| i.get(c.as_str()).is_some_and(|v| !cell(v).is_empty()))
        })
        .cloned()
        .collect();
    if filled.is_empty() { all } else { filled }
}

fn table_row(columns: &[String], item: &Value) -> Vec<String> {
    row_of(columns, item).iter().map(|c| sanitize(c)).collect()
}

/// Nested fields as `a.b` and `list[0].c`, for the field/value view of one object.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(map) if !map.is_empty() => {
            for k in ordered_keys(map) {
                flatten(&join(&k), &map[&k], out);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, out);
            }
        }
        other => out.push((
            if prefix.is_empty() {
                "value".into()
            } else {
                prefix.into()
            },
            cell(other).into_owned(),
        )),
    }
}

/// Writes one result (an object, a list, or a page `{items, pageNumber, ...}` of a list
/// operation when `page` is true).
pub fn write_value<W: Write>(
    format: Format,
    mut out: W,
    value: &Value,
    page: bool,
    width: Option<usize>,
) -> io::Result<()> {
    match (format, value) {
        (Format::Json, _) => {
            serde_json::to_writer_pretty(&mut out, value)?;
            out.write_all(b"\n")?;
            out.flush()
        }
        (_, Value::Object(map)) if page && map.get("items").is_some_and(Value::is_array) => {
            let items = map["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            let mut list = ListWriter::new(format, out, width);
            list.write_items(items)?;
            list.finish()?;
            if format == Format::Table {
                page_hint(map);
            }
            Ok(())
        }
        (Format::Jsonl, _) => {
            serde_json::to_writer(&mut out, value)?;
            out.write_all(b"\n")?;
            out.flush()
        }
        (_, Value::Array(items)) => {
            let mut list = ListWriter::new(format, out, width);
            list.write_items(items)?;
            list.finish().map(|_| ())
        }
        (Format::Csv, other) => {
            let mut list = ListWriter::new(format, out, width);
            list.write_items(std::slice::from_ref(other))?;
            list.finish().map(|_| ())
        }
        (Format::Table, other) => {
            let mut fields = Vec::new();
            flatten("", other, &mut fields);
            let rows: Vec<Vec<String>> = fields
                .into_iter()
                .map(|(k, v)| vec![sanitize(&k), sanitize(&v)])
                .collect();
            let layout = Layout::plan(vec![String::new(), String::new()], &rows, width, false);
            for row in &rows {
                writeln!(out, "{}", layout.row(row))?;
            }
            out.flush()
        }
    }
}

/// `page 1 of 3 ...` under a table, on stderr (stdout keeps only the table).
fn page_hint(page: &Map<String, Value>) {
    let n = |k: &str| page.get(k).and_then(Value::as_u64);
    if let (Some(number), Some(total)) = (n("pageNumber"), n("numberOfPages")) {
        if number < total {
            crate::exit::note(&format!(
                "page {number} of {total}: --page-number {} for the next, --all for every page",
                number + 1
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(format: Format, value: &Value, page: bool) -> String {
        let mut buf = Vec::new();
        write_value(format, &mut buf, value, page, Some(80)).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn json_keeps_exact_decimals() {
        let v = json!({"id": 1, "amount": "0.000000010000000000"});
        assert!(render(Format::Json, &v, false).contains("\"0.000000010000000000\""));
    }

    #[test]
    fn csv_cells() {
        let page = json!({"items": [
            {"id": 2, "amount": "1.50", "note": null, "nested": {"a": 1}, "ok": true},
            {"id": 3, "amount": "2", "note": "x,y", "nested": null, "ok": false}
        ], "pageNumber": 1, "pageSize": 2, "numberOfPages": 1});
        assert_eq!(
            render(Format::Csv, &page, true),
            "id,amount,note,nested,ok\n2,1.50,,\"{\"\"a\"\":1}\",true\n3,2,\"x,y\",,false\n"
        );
    }

    #[test]
    fn streamed_json_array_is_one_document() {
        let mut list = ListWriter::new(Format::Json, Vec::new(), None);
        list.write_items(&[json!({"id": 1}), json!({"id": 2})])
            .unwrap();
        list.write_items(&[json!({"id": 3})]).unwrap();
        let out = String::from_utf8(list.finish().unwrap()).unwrap();
        assert_eq!(out, "[\n{\"id\":1},\n{\"id\":2},\n{\"id\":3}\n]\n");
        let empty = ListWriter::new(Format::Json, Vec::new(), None);
        assert_eq!(empty.finish().unwrap(), b"[]\n");
    }

    #[test]
    fn an_object_as_a_table_flattens_nested_fields() {
        let v = json!({"id": 7, "details": {"direction": "In"}, "list": [{"a": 1}], "none": null});
        let text = render(Format::Table, &v, false);
        assert!(text.contains("details.direction  In"), "{text}");
        assert!(text.contains("list[0].a"), "{text}");
        assert!(text.lines().next().unwrap().starts_with("id"), "{text}");
    }
}
