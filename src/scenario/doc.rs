//! One source document being loaded: bytes → checked text → span tree, with helpers to
//! deserialize parts of it independently and to report located problems.

use super::diagnostic::Diagnostic;
use super::ron_tree::{self, PathSeg, RonKind, RonNode};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Largest source file accepted.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A parsed document and the problems found in it so far.
pub struct Doc<'a> {
    pub path: &'a Path,
    pub src: String,
    pub tree: RonNode,
    pub diags: Vec<Diagnostic>,
}

/// Turns raw bytes into text, rejecting oversized and non-UTF-8 input with a location.
pub fn check_text(path: &Path, bytes: &[u8], what: &str) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            format!(
                "the file is {:.1} MB; {what} files are limited to {} KB — split it or remove unused content",
                bytes.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1024
            ),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => normalize(path, s),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let (line, col) = ron_tree::line_col(&text, text.len());
            Err(Diagnostic::error(
                path,
                line,
                col,
                format!(
                    "found byte 0x{:02X}, which is not valid UTF-8; expected UTF-8 text (re-save the file as UTF-8)",
                    bytes[e.valid_up_to()]
                ),
            ))
        }
    }
}

/// Strips a UTF-8 byte-order mark, turns old Mac (CR-only) line endings into `\n`
/// (`\r\n` stays; offsets do not move), and refuses NUL characters with their location.
fn normalize(path: &Path, s: &str) -> Result<String, Diagnostic> {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    if let Some(i) = s.find('\0') {
        let (line, col) = ron_tree::line_col(s, i);
        return Err(Diagnostic::error(
            path,
            line,
            col,
            "found a NUL character (byte 0x00); expected text — remove it",
        ));
    }
    if !s.contains('\r') {
        return Ok(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == '\r' && b.get(i + 1) != Some(&b'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Reads `len` characters of source at an offset, for "found `...`" messages.
pub fn snippet(src: &str, offset: usize) -> String {
    let mut off = offset.min(src.len());
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    let rest = &src[off..];
    let s: String = rest.chars().take_while(|c| *c != '\n').take(24).collect();
    s.trim().to_string()
}

/// Parses a dotted field path like `dialogue.nodes[2].goto`.
pub fn parse_path(p: &str) -> Vec<PathSeg<'_>> {
    let mut out = vec![];
    for part in p.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(PathSeg::Field(&rest[..i]));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(n) = stripped[..end].parse() {
                    out.push(PathSeg::Index(n));
                }
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else if !rest.is_empty() {
            out.push(PathSeg::Field(rest));
        }
    }
    out
}

impl<'a> Doc<'a> {
    /// Checks size and encoding and parses the syntax tree.
    pub fn open(path: &'a Path, bytes: &[u8], what: &str) -> Result<Doc<'a>, Diagnostic> {
        let src = check_text(path, bytes, what)?;
        match ron_tree::parse(&src) {
            Ok(tree) => Ok(Doc {
                path,
                src,
                tree,
                diags: vec![],
            }),
            Err(e) => {
                let (line, col) = ron_tree::line_col(&src, e.offset);
                Err(Diagnostic::error(path, line, col, e.message))
            }
        }
    }

    /// Line and column of a byte offset.
    pub fn pos(&self, offset: usize) -> (usize, usize) {
        ron_tree::line_col(&self.src, offset)
    }

    /// Byte offset of the value at a dotted field path (or its closest ancestor).
    pub fn offset_of(&self, field: &str) -> usize {
        self.tree.deepest(&parse_path(field)).span.start
    }

    /// Reports an error at a field path.
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        let (l, c) = self.pos(self.offset_of(field));
        self.diags
            .push(Diagnostic::error(self.path, l, c, message).with_field(field));
    }

    /// Reports a warning at a field path.
    pub fn warn(&mut self, field: &str, message: impl Into<String>) {
        let (l, c) = self.pos(self.offset_of(field));
        self.diags
            .push(Diagnostic::warning(self.path, l, c, message).with_field(field));
    }

    /// Reports an error at a byte offset.
    pub fn error_at(&mut self, offset: usize, field: &str, message: impl Into<String>) {
        let (l, c) = self.pos(offset);
        self.diags
            .push(Diagnostic::error(self.path, l, c, message).with_field(field));
    }

    /// Deserializes one node on its own; reports a located error and returns None on failure.
    pub fn de<T: DeserializeOwned>(&mut self, node: &RonNode, field: &str) -> Option<T> {
        let slice = &self.src[node.span.start..node.span.end];
        let opts = ron::Options::default()
            .with_default_extension(Extensions::IMPLICIT_SOME)
            .with_recursion_limit(ron_tree::MAX_DEPTH + 8);
        match opts.from_str::<T>(slice) {
            Ok(v) => Some(v),
            Err(e) => {
                let rel = e.span.start;
                // Byte offset of the error inside the slice.
                let off = error_offset(slice, rel.line, rel.col, &e.code);
                let (line, col) = self.pos(node.span.start + off);
                let msg = lower_first(&e.code.to_string());
                let found = snippet(slice, off);
                let msg =
                    if msg.starts_with("expected") && !found.is_empty() && !msg.contains("found") {
                        format!("found `{found}`; {msg}")
                    } else {
                        msg
                    };
                self.diags
                    .push(Diagnostic::error(self.path, line, col, msg).with_field(field));
                None
            }
        }
    }

    /// Checks that a struct node has only known fields and all required ones.
    /// Returns the node's fields on success.
    pub fn struct_fields(
        &mut self,
        node: &RonNode,
        field: &str,
        type_name: &str,
        known: &[&str],
        required: &[&str],
    ) -> Option<Vec<(String, RonNode)>> {
        let RonKind::Struct { name, fields } = &node.kind else {
            let found = snippet(&self.src, node.span.start);
            self.error_at(
                node.span.start,
                field,
                format!("found `{found}`; expected a `{type_name}(...)` with named fields"),
            );
            return None;
        };
        if let Some(n) = name
            && n != type_name
        {
            self.error_at(
                node.span.start,
                field,
                format!("found `{n}(`; expected `{type_name}(`"),
            );
        }
        let mut seen: Vec<&str> = vec![];
        let mut ok = true;
        for (k, kspan, _) in fields {
            let path = if field.is_empty() {
                k.clone()
            } else {
                format!("{field}.{k}")
            };
            if !known.contains(&k.as_str()) {
                let suggestion = known
                    .iter()
                    .min_by_key(|c| edit_distance(c, k))
                    .filter(|c| edit_distance(c, k) <= 3)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                self.error_at(
                    kspan.start,
                    &path,
                    format!(
                        "unknown field `{k}` in {type_name}{suggestion}; expected one of: {}",
                        known.join(", ")
                    ),
                );
                ok = false;
            } else if seen.contains(&k.as_str()) {
                self.error_at(
                    kspan.start,
                    &path,
                    format!("field `{k}` is given twice; keep one"),
                );
                ok = false;
            }
            seen.push(k);
        }
        for r in required {
            if !seen.contains(r) {
                let close = node.span.end.saturating_sub(1);
                self.error_at(
                    close,
                    field,
                    format!("{type_name} is missing the required field `{r}`"),
                );
                ok = false;
            }
        }
        ok.then(|| {
            fields
                .iter()
                .map(|(k, _, v)| (k.clone(), v.clone()))
                .collect()
        })
    }

    /// Deserializes a list field element by element, reporting every bad element.
    /// Returns None if any element failed (so later indices stay meaningful).
    pub fn list<T: DeserializeOwned>(&mut self, node: &RonNode, field: &str) -> Option<Vec<T>> {
        let RonKind::List(items) = &node.kind else {
            let found = snippet(&self.src, node.span.start);
            self.error_at(
                node.span.start,
                field,
                format!("found `{found}`; expected a list `[ ... ]`"),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, it) in items.iter().enumerate() {
            match self.de::<T>(it, &format!("{field}[{i}]")) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// Byte offset inside `slice` of a ron error position (1-based line and column in
/// characters), moved onto the offending token: ron reports some errors before the
/// whitespace that precedes a value, after the sign of a negative number, or at the
/// start of a string rather than at its bad escape.
fn error_offset(slice: &str, line: usize, col: usize, code: &ron::Error) -> usize {
    let mut off = slice
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + slice
            .split_inclusive('\n')
            .nth(line.saturating_sub(1))
            .map(|l| {
                l.chars()
                    .take(col.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum::<usize>()
            })
            .unwrap_or(0);
    let b = slice.as_bytes();
    off = off.min(b.len());
    while off < b.len() && b[off].is_ascii_whitespace() {
        off += 1;
    }
    match code {
        ron::Error::IntegerOutOfBounds | ron::Error::ExpectedInteger
            if off > 0 && matches!(b[off - 1], b'-' | b'+') =>
        {
            off -= 1;
        }
        ron::Error::InvalidEscape(_) => {
            let rest = &b[off..];
            let escapes = || {
                rest.iter()
                    .enumerate()
                    .scan(false, |esc, (i, c)| {
                        let at = (!*esc && *c == b'\\').then_some(i);
                        *esc = at.is_some();
                        Some(at)
                    })
                    .flatten()
            };
            let bad = escapes()
                .find(|i| {
                    !matches!(
                        rest.get(i + 1),
                        Some(b'"' | b'\'' | b'\\' | b'n' | b'r' | b't' | b'0' | b'x' | b'u')
                    )
                })
                .or_else(|| escapes().next());
            if let Some(i) = bad {
                off += i;
            }
        }
        _ => {}
    }
    off
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Suggests the closest known name.
pub fn did_you_mean<'b>(name: &str, known: impl Iterator<Item = &'b str>) -> String {
    known
        .map(|k| (edit_distance(k, name), k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parsing() {
        let p = parse_path("dialogue.nodes[2].options[10].goto");
        assert_eq!(
            p,
            vec![
                PathSeg::Field("dialogue"),
                PathSeg::Field("nodes"),
                PathSeg::Index(2),
                PathSeg::Field("options"),
                PathSeg::Index(10),
                PathSeg::Field("goto")
            ]
        );
    }

    #[test]
    fn de_errors_are_located_in_the_file() {
        let src = "Scenario(\n  id: \"x\",\n  minutes: \"ten\",\n)";
        let path = Path::new("s.ron");
        let mut d = Doc::open(path, src.as_bytes(), "scenario").unwrap();
        let node = d.tree.field("minutes").unwrap().clone();
        assert!(d.de::<u32>(&node, "minutes").is_none());
        let diag = &d.diags[0];
        assert_eq!((diag.line, diag.column), (3, 12));
        assert!(diag.message.contains("expected"), "{}", diag.message);
    }

    #[test]
    fn rejects_non_utf8_with_position() {
        let e = check_text(Path::new("x"), b"ab\ncd\xff", "scenario").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
    }
}
