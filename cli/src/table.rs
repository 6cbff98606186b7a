//! Plain text tables fitted to a width: columns separated by two spaces, long cells cut with an
//! ellipsis, numeric columns right-aligned. The layout is planned once (from the first page of
//! a list) and then applied row by row, so a table can be streamed.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const SEPARATOR: usize = 2;
/// A text column is never squeezed below this (or its natural width, if smaller): columns go
/// before text is cut to stubs.
const MIN_TEXT: usize = 12;
/// The header of a number or timestamp column may be cut down to this.
const MIN_HEADER: usize = 6;

/// A cell made safe for a terminal: one line, no control characters (a value from the API
/// cannot move the cursor or change colours).
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// A decimal without its insignificant trailing zeros (`2.500000000000000000` -> `2.5`): the
/// same value, shorter, for reading. Other text is unchanged.
pub fn short_decimal(s: &str) -> &str {
    if looks_numeric(s) && s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to `max` columns, with `…` as the last one when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut to `max` columns in the middle (`reque…mount`): the start and the end survive,
/// which tells apart names that share a prefix.
fn truncate_middle(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if width(s) <= max || max < 3 {
        return truncate(s, max);
    }
    let tail_len = (max - 1) / 2;
    let head: String = chars.iter().collect::<String>();
    let mut head = truncate(&head, max - tail_len);
    head.pop();
    let tail: String = chars[chars.len().saturating_sub(tail_len)..]
        .iter()
        .collect();
    let out = format!("{head}…{tail}");
    if width(&out) <= max {
        out
    } else {
        truncate(s, max)
    }
}

/// The headers as shown in `widths` columns, distinct even when cut: a header whose cut form
/// would equal another's is cut in the middle instead, and if that still collides a number
/// replaces its last character.
fn distinct_headers(headers: &[String], widths: &[usize]) -> Vec<String> {
    let cut: Vec<String> = headers
        .iter()
        .zip(widths)
        .map(|(h, w)| truncate(h, *w))
        .collect();
    let mut shown = cut.clone();
    for i in 0..shown.len() {
        let clashes =
            |shown: &[String], i: usize| (0..shown.len()).any(|j| j != i && shown[j] == shown[i]);
        if clashes(&cut, i) && cut[i] != headers[i] {
            shown[i] = truncate_middle(&headers[i], widths[i]);
        }
    }
    for i in 0..shown.len() {
        let mut n = 2;
        while (0..shown.len()).any(|j| j < i && shown[j] == shown[i]) && n < 100 {
            let mut base: Vec<char> = truncate(&headers[i], widths[i].saturating_sub(1).max(1))
                .chars()
                .collect();
            if base.last() == Some(&'…') {
                base.pop();
            }
            shown[i] = format!("{}{n}", base.iter().collect::<String>());
            n += 1;
        }
    }
    shown
}

fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    let mut parts = t.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn looks_atomic(s: &str) -> bool {
    looks_numeric(s) || looks_like_time(s)
}

/// `2024-01-15` or `2024-01-15T10:00:00Z`.
fn looks_like_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b.len() <= 40
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// The planned columns of a table.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Per input column: shown or dropped.
    keep: Vec<bool>,
    headers: Vec<String>,
    widths: Vec<usize>,
    right: Vec<bool>,
    /// Numbers and timestamps: never cut, even when a later row is wider than planned.
    atomic: Vec<bool>,
    /// Headers of the columns dropped because even squeezed they did not fit.
    pub dropped: Vec<String>,
}

impl Layout {
    /// Plans columns for `headers` from sample `rows` (cells already sanitized; decimals are
    /// shown without insignificant trailing zeros), within
    /// `max_width` columns when given (else every cell at its full width). `complete` says the
    /// rows are all there will be (not the first page of a stream).
    ///
    /// When the table is too wide: first, for a complete table, the columns that hold one
    /// value in every row go (they say little in a list), then columns are narrowed (numbers and timestamps
    /// never below their width), then columns go from the right (empty ones first, money last).
    pub fn plan(
        headers: Vec<String>,
        rows: &[Vec<String>],
        max_width: Option<usize>,
        complete: bool,
    ) -> Layout {
        let n = headers.len();
        let mut natural: Vec<usize> = headers.iter().map(|h| width(h)).collect();
        let mut widest_cell = vec![0; n];
        let mut atomic = vec![true; n];
        let mut right = vec![true; n];
        let mut any_value = vec![false; n];
        let mut constant = vec![complete && rows.len() >= 2; n];
        for row in rows {
            for (i, raw) in row.iter().enumerate().take(n) {
                // Decimals (money) are worth a column even when every row has the same one.
                if looks_numeric(raw) && raw.contains('.') {
                    constant[i] = false;
                }
                let cell = short_decimal(raw);
                natural[i] = natural[i].max(width(cell));
                widest_cell[i] = widest_cell[i].max(width(cell));
                if !cell.is_empty() {
                    any_value[i] = true;
                    right[i] &= looks_numeric(cell);
                    atomic[i] &= looks_atomic(cell);
                }
                constant[i] &= rows.first().and_then(|r| r.get(i)) == Some(raw);
            }
        }
        for i in 0..n {
            right[i] &= any_value[i];
            atomic[i] &= any_value[i];
        }
        let mut keep: Vec<bool> = vec![true; n];
        let mut layout = Layout {
            keep: vec![true; n],
            headers,
            widths: natural.clone(),
            right,
            atomic: atomic.clone(),
            dropped: Vec::new(),
        };
        let Some(max) = max_width else {
            return layout;
        };
        // Numbers and timestamps are never cut (a cut number reads as another number); their
        // header may be.
        let floor: Vec<usize> = (0..n)
            .map(|i| {
                if atomic[i] {
                    widest_cell[i].max(natural[i].min(MIN_HEADER))
                } else {
                    natural[i].min(MIN_TEXT)
                }
            })
            .collect();
        let total = |ws: &[usize], keep: &[bool]| {
            let kept = keep.iter().filter(|k| **k).count();
            (0..ws.len())
                .filter(|i| keep[*i])
                .map(|i| ws[i])
                .sum::<usize>()
                + SEPARATOR * kept.saturating_sub(1)
        };
        for i in (1..n).rev() {
            if total(&natural, &keep) <= max {
                break;
            }
            if constant[i] {
                keep[i] = false;
            }
        }
        // Then columns go from the right: empty ones first, money (decimal) columns last, as
        // balances and amounts are what a list is usually read for.
        let money: Vec<bool> = (0..n)
            .map(|i| {
                rows.iter().any(|r| {
                    r.get(i)
                        .is_some_and(|c| looks_numeric(c) && c.contains('.'))
                })
            })
            .collect();
        for pass in 0..3 {
            for i in (1..n).rev() {
                if total(&floor, &keep) <= max {
                    break;
                }
                let candidate = match pass {
                    0 => !any_value[i],
                    1 => !money[i],
                    _ => true,
                };
                if candidate {
                    keep[i] = false;
                }
            }
        }
        // Water-filling: the largest cap such that every column at max(floor, min(natural,
        // cap)) fits.
        let at = |cap: usize| -> Vec<usize> {
            (0..n).map(|i| natural[i].min(cap).max(floor[i])).collect()
        };
        let widest = natural.iter().copied().max().unwrap_or(0);
        let (mut lo, mut hi) = (0, widest);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if total(&at(mid), &keep) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let widths = at(lo);
        let mut kept = Layout {
            keep: keep.clone(),
            headers: Vec::new(),
            widths: Vec::new(),
            right: Vec::new(),
            atomic: Vec::new(),
            dropped: Vec::new(),
        };
        for (i, header) in layout.headers.drain(..).enumerate() {
            if keep[i] {
                kept.headers.push(header);
                kept.widths.push(widths[i]);
                kept.right.push(layout.right[i]);
                kept.atomic.push(atomic[i]);
            } else {
                kept.dropped.push(header);
            }
        }
        // One column wider than the screen: cut it to the screen.
        if kept.widths.len() == 1 {
            kept.widths[0] = kept.widths[0].min(max.max(1));
        }
        kept
    }

    fn line(&self, cells: &[String], align_right: bool) -> String {
        let mut line = String::new();
        for (i, w) in self.widths.iter().enumerate() {
            let text = short_decimal(cells.get(i).map(String::as_str).unwrap_or(""));
            let cell = if align_right && self.atomic[i] && looks_atomic(text) {
                text.to_string()
            } else {
                truncate(text, *w)
            };
            let pad = w.saturating_sub(width(&cell));
            if i > 0 {
                line.push_str(&" ".repeat(SEPARATOR));
            }
            if align_right && self.right[i] {
                line.push_str(&" ".repeat(pad));
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                if i + 1 < self.widths.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        line.trim_end().to_string()
    }

    pub fn header(&self) -> String {
        self.line(&distinct_headers(&self.headers, &self.widths), true)
    }

    /// The cells of the shown columns.
    fn shown(&self, cells: &[String]) -> Vec<String> {
        cells
            .iter()
            .zip(&self.keep)
            .filter(|(_, keep)| **keep)
            .map(|(c, _)| c.clone())
            .collect()
    }

    pub fn rule(&self) -> String {
        let cells: Vec<String> = self.widths.iter().map(|w| "-".repeat(*w)).collect();
        self.line(&cells, false)
    }

    pub fn row(&self, cells: &[String]) -> String {
        self.line(&self.shown(cells), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn cut_headers_never_collide() {
        let headers = s(&["requestAmount", "requestPrice", "id", "executedAmount"]);
        let shown = distinct_headers(&headers, &[6, 6, 2, 6]);
        for (i, a) in shown.iter().enumerate() {
            assert!(width(a) <= [6, 6, 2, 6][i], "{a}");
            for b in &shown[i + 1..] {
                assert_ne!(a, b, "{shown:?}");
            }
        }
        assert_eq!(shown[2], "id");
        // Headers that do not clash keep the plain cut.
        assert_eq!(
            distinct_headers(&s(&["requestAmount", "id"]), &[6, 2])[0],
            "reque…"
        );
        // Same start and end: numbered.
        let shown = distinct_headers(&s(&["abcXdef", "abcYdef"]), &[5, 5]);
        assert_ne!(shown[0], shown[1], "{shown:?}");
    }

    #[test]
    fn cells_are_cut_with_an_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdef", 1), "…");
        assert_eq!(truncate("abcdef", 0), "");
        assert_eq!(truncate("日本語です", 5), "日本…");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(sanitize("a\nb\x1b[31mc"), "a b\u{FFFD}[31mc");
    }

    #[test]
    fn fits_the_width() {
        let headers = s(&["id", "name", "description", "amount"]);
        let rows = vec![s(&[
            "1",
            "a rather long account name",
            "a very very long description of the transaction",
            "100.000000000000000000",
        ])];
        let layout = Layout::plan(headers.clone(), &rows, Some(50), true);
        for line in [layout.header(), layout.rule(), layout.row(&rows[0])] {
            assert!(width(&line) <= 50, "{line}");
        }
        assert!(layout.row(&rows[0]).contains('…'));
        assert!(layout.dropped.is_empty());
        let wide = Layout::plan(headers, &rows, None, true);
        assert!(!wide.row(&rows[0]).contains('…'));
    }

    #[test]
    fn drops_columns_that_cannot_fit() {
        let headers: Vec<String> = (0..30).map(|i| format!("column{i}")).collect();
        let rows = vec![headers.clone()];
        let layout = Layout::plan(headers, &rows, Some(40), true);
        assert!(!layout.dropped.is_empty());
        assert!(width(&layout.row(&rows[0])) <= 40);
    }

    #[test]
    fn constant_columns_go_first_and_numbers_are_not_cut() {
        let headers = s(&["id", "customer", "description", "amount"]);
        let rows = vec![
            s(&["1", "1004", "first transaction of the day", "1234567.25"]),
            s(&["2", "1004", "second transaction of the day", "7.5"]),
        ];
        let layout = Layout::plan(headers.clone(), &rows, Some(40), true);
        assert_eq!(layout.dropped, s(&["customer"]));
        let line = layout.row(&rows[0]);
        assert!(line.ends_with("1234567.25"), "{line}");
        assert!(line.contains('…'), "{line}");
        assert!(width(&line) <= 40);
        // The first page of a stream: nothing is known to be constant; a later, wider number
        // overflows its column instead of being cut.
        let stream = Layout::plan(headers, &rows[1..], Some(60), false);
        assert!(stream.dropped.is_empty());
        let later = stream.row(&s(&["3", "1005", "x", "123456789.5"]));
        assert!(later.ends_with("123456789.5"), "{later}");
    }

    #[test]
    fn decimals_read_short() {
        assert_eq!(short_decimal("2.500000000000000000"), "2.5");
        assert_eq!(short_decimal("100000.000000000000000000"), "100000");
        assert_eq!(short_decimal("0.000000000000000000"), "0");
        assert_eq!(short_decimal("021214891"), "021214891");
        assert_eq!(short_decimal("v1.50"), "v1.50");
    }

    #[test]
    fn numbers_align_right() {
        let layout = Layout::plan(
            s(&["n", "t"]),
            &[s(&["1.5", "x"]), s(&["10", "y"])],
            None,
            true,
        );
        assert_eq!(layout.row(&s(&["1.5", "x"])), "1.5  x");
        assert_eq!(layout.row(&s(&["10", "y"])), " 10  y");
        assert!(looks_numeric("-12.50"));
        assert!(!looks_numeric("12."));
        assert!(!looks_numeric("2024-01-15"));
    }
}
