//! A position-preserving RON syntax tree.
//!
//! serde stops at the first error and forgets where values were. This module parses the
//! RON *syntax* (no types) into a tree of spans so the loader can (a) deserialize each
//! field or list element on its own and report every problem in one pass, and (b) point
//! semantic errors at the exact line and column of the offending value.

use std::fmt;

/// Maximum nesting of brackets before the file is rejected.
pub const MAX_DEPTH: usize = 64;

/// Byte range of a value in its source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One RON value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct RonNode {
    pub span: Span,
    pub kind: RonKind,
}

/// The shape of a RON value.
#[derive(Debug, Clone, PartialEq)]
pub enum RonKind {
    /// `Name(field: value, ...)` or `(field: value, ...)`.
    Struct {
        name: Option<String>,
        fields: Vec<(String, Span, RonNode)>,
    },
    /// `Name(a, b)` (enum tuple variant, `Some(x)`) or `(a, b)`.
    Tuple {
        name: Option<String>,
        items: Vec<RonNode>,
    },
    List(Vec<RonNode>),
    Map(Vec<(RonNode, RonNode)>),
    /// A bare identifier: `true`, `None`, a unit variant.
    Ident(String),
    Str(String),
    Number,
    Char,
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One step in a field path.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSeg<'a> {
    Field(&'a str),
    Index(usize),
}

impl RonNode {
    /// The named field of a struct value.
    pub fn field(&self, name: &str) -> Option<&RonNode> {
        match &self.kind {
            RonKind::Struct { fields, .. } => {
                fields.iter().find(|(n, _, _)| n == name).map(|(_, _, v)| v)
            }
            _ => None,
        }
    }

    /// The n-th element of a list, tuple or tuple variant.
    pub fn index(&self, i: usize) -> Option<&RonNode> {
        match &self.kind {
            RonKind::List(items) | RonKind::Tuple { items, .. } => items.get(i),
            RonKind::Map(entries) => entries.get(i).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Follows a path; returns the deepest node reached (never fails).
    pub fn deepest(&self, path: &[PathSeg<'_>]) -> &RonNode {
        let mut cur = self;
        for seg in path {
            let next = match seg {
                PathSeg::Field(f) => cur.field(f).or_else(|| {
                    // `Some(x)` wrappers and newtypes are transparent for paths.
                    match &cur.kind {
                        RonKind::Tuple { items, .. } if items.len() == 1 => items[0].field(f),
                        _ => None,
                    }
                }),
                PathSeg::Index(i) => cur.index(*i),
            };
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur
    }

    /// Depth of nested containers below this node.
    pub fn children(&self) -> Vec<&RonNode> {
        match &self.kind {
            RonKind::Struct { fields, .. } => fields.iter().map(|(_, _, v)| v).collect(),
            RonKind::Tuple { items, .. } | RonKind::List(items) => items.iter().collect(),
            RonKind::Map(e) => e.iter().flat_map(|(k, v)| [k, v]).collect(),
            _ => vec![],
        }
    }
}

/// Parses RON source into a span tree.
pub fn parse(src: &str) -> Result<RonNode, SyntaxError> {
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        pos: 0,
        depth: 0,
    };
    p.skip_ws()?;
    while p.peek() == Some(b'#') {
        p.attribute()?;
        p.skip_ws()?;
    }
    if p.pos >= p.s.len() {
        return Err(SyntaxError {
            offset: p.pos,
            message: "the file is empty; expected a RON value".into(),
        });
    }
    let v = p.value()?;
    p.skip_ws()?;
    if p.pos < p.s.len() {
        return Err(p.err(format!(
            "unexpected `{}` after the end of the value; expected end of file",
            p.peek_char()
        )));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    pos: usize,
    depth: usize,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn peek_char(&self) -> String {
        self.src[self.pos..]
            .chars()
            .next()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "end of file".into())
    }
    /// Moves past one (possibly multi-byte) character, if any.
    fn skip_char(&mut self) {
        if let Some(ch) = self.src.get(self.pos..).and_then(|r| r.chars().next()) {
            self.pos += ch.len_utf8();
        }
    }
    fn err(&self, message: String) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message,
        }
    }
    fn skip_ws(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut level = 1;
                    while level > 0 {
                        match (self.peek(), self.s.get(self.pos + 1)) {
                            (None, _) => {
                                return Err(SyntaxError {
                                    offset: start,
                                    message: "this block comment is never closed; expected `*/`"
                                        .into(),
                                });
                            }
                            (Some(b'*'), Some(b'/')) => {
                                level -= 1;
                                self.pos += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                level += 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }
    fn attribute(&mut self) -> Result<(), SyntaxError> {
        // #![enable(...)]
        let start = self.pos;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b']' {
                return Ok(());
            }
        }
        Err(SyntaxError {
            offset: start,
            message: "unterminated attribute; expected `]`".into(),
        })
    }
    fn ident(&mut self) -> String {
        let start = self.pos;
        if self.s[self.pos..].starts_with(b"r#") {
            self.pos += 2;
        }
        while let Some(c) = self.peek() {
            if is_ident_char(c) {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.src[start..self.pos]
            .trim_start_matches("r#")
            .to_string()
    }
    fn value(&mut self) -> Result<RonNode, SyntaxError> {
        self.skip_ws()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.err("unexpected end of file; expected a value".into()));
        };
        let kind = match c {
            b'"' => RonKind::Str(self.string()?),
            b'r' if self.s[self.pos..].starts_with(b"r\"")
                || self.s[self.pos..].starts_with(b"r#\"")
                || self.s[self.pos..].starts_with(b"r##") =>
            {
                RonKind::Str(self.raw_string()?)
            }
            b'\'' => {
                self.char_lit()?;
                RonKind::Char
            }
            b'[' => {
                let items = self.seq(b'[', b']')?;
                RonKind::List(items)
            }
            b'{' => self.map()?,
            b'(' => self.paren(None)?,
            b'-' | b'+' | b'.' | b'0'..=b'9' => {
                self.number()?;
                RonKind::Number
            }
            c if is_ident_start(c) => {
                let name = self.ident();
                self.skip_ws()?;
                if self.peek() == Some(b'(') {
                    self.paren(Some(name))?
                } else if name == "inf" || name == "NaN" {
                    RonKind::Number
                } else {
                    RonKind::Ident(name)
                }
            }
            _ => {
                return Err(self.err(format!(
                    "unexpected `{}`; expected a value (a string in double quotes, a number, a list `[...]`, a struct `Name(...)` or a name)",
                    self.peek_char()
                )));
            }
        };
        Ok(RonNode {
            span: Span {
                start,
                end: self.pos,
            },
            kind,
        })
    }
    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!(
                "values are nested more than {MAX_DEPTH} levels deep; flatten the structure"
            )));
        }
        Ok(())
    }
    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(SyntaxError {
                    offset: start,
                    message: "this string is never closed; expected a closing `\"`".into(),
                });
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    if nul_escape(&self.src[self.pos + 1..]) {
                        return Err(SyntaxError {
                            offset: self.pos,
                            message: "this string contains a NUL character (an escaped zero); expected text without NUL".into(),
                        });
                    }
                    // Skip the backslash and the whole escaped character (which may be
                    // multi-byte), so `pos` stays on a character boundary.
                    self.pos += 1;
                    self.skip_char();
                    out.push('?');
                }
                _ => {
                    let ch = self.src[self.pos..].chars().next().unwrap_or('?');
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }
    fn raw_string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return Err(self.err("expected `\"` to start a raw string".into()));
        }
        self.pos += 1;
        let close: Vec<u8> = std::iter::once(b'"')
            .chain(std::iter::repeat_n(b'#', hashes))
            .collect();
        let body_start = self.pos;
        while self.pos < self.s.len() {
            if self.s[self.pos..].starts_with(&close) {
                let body = self.src[body_start..self.pos].to_string();
                self.pos += close.len();
                return Ok(body);
            }
            self.pos += 1;
        }
        Err(SyntaxError {
            offset: start,
            message: "this raw string is never closed".into(),
        })
    }
    fn char_lit(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' {
                self.skip_char();
            } else if c == b'\'' {
                return Ok(());
            }
        }
        Err(SyntaxError {
            offset: start,
            message: "this character literal is never closed; expected `'`".into(),
        })
    }
    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_') {
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(self.err("expected a number".into()));
        }
        Ok(())
    }
    fn seq(&mut self, open: u8, close: u8) -> Result<Vec<RonNode>, SyntaxError> {
        self.enter()?;
        let open_at = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                None => {
                    return Err(SyntaxError {
                        offset: open_at,
                        message: format!(
                            "this `{}` is never closed; expected `{}`",
                            open as char, close as char
                        ),
                    });
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                None => {
                    return Err(SyntaxError {
                        offset: open_at,
                        message: format!(
                            "this `{}` is never closed; expected `{}`",
                            open as char, close as char
                        ),
                    });
                }
                _ => {
                    return Err(self.err(format!(
                        "unexpected `{}`; expected `,` or `{}`",
                        self.peek_char(),
                        close as char
                    )));
                }
            }
        }
        self.depth -= 1;
        Ok(items)
    }
    fn map(&mut self) -> Result<RonKind, SyntaxError> {
        self.enter()?;
        let open_at = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                None => {
                    return Err(SyntaxError {
                        offset: open_at,
                        message: "this `{` is never closed; expected `}`".into(),
                    });
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let k = self.value()?;
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.err(format!(
                    "unexpected `{}`; expected `:` after a map key",
                    self.peek_char()
                )));
            }
            self.pos += 1;
            let v = self.value()?;
            entries.push((k, v));
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => {
                    return Err(self.err(format!(
                        "unexpected `{}`; expected `,` or `}}`",
                        self.peek_char()
                    )));
                }
            }
        }
        self.depth -= 1;
        Ok(RonKind::Map(entries))
    }
    /// After `(`: a struct body if it starts with `ident:`; otherwise a tuple.
    fn paren(&mut self, name: Option<String>) -> Result<RonKind, SyntaxError> {
        let save = self.pos;
        self.pos += 1;
        self.skip_ws()?;
        let is_struct = if self.peek().is_some_and(is_ident_start) {
            let p = self.pos;
            self.ident();
            self.skip_ws()?;
            let r = self.peek() == Some(b':') && self.s.get(self.pos + 1) != Some(&b':');
            self.pos = p;
            r
        } else {
            false
        };
        self.pos = save;
        if !is_struct {
            let items = self.seq(b'(', b')')?;
            return Ok(RonKind::Tuple { name, items });
        }
        self.enter()?;
        let open_at = self.pos;
        self.pos += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek() {
                None => {
                    return Err(SyntaxError {
                        offset: open_at,
                        message: "this `(` is never closed; expected `)`".into(),
                    });
                }
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(c) if is_ident_start(c) => {}
                _ => {
                    return Err(self.err(format!(
                        "unexpected `{}`; expected a field name (like `id:`) or `)`",
                        self.peek_char()
                    )));
                }
            }
            let kstart = self.pos;
            let key = self.ident();
            let kspan = Span {
                start: kstart,
                end: self.pos,
            };
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.err(format!(
                    "unexpected `{}`; expected `:` after field `{key}`",
                    self.peek_char()
                )));
            }
            self.pos += 1;
            let v = self.value()?;
            fields.push((key, kspan, v));
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {}
                None => {
                    return Err(SyntaxError {
                        offset: open_at,
                        message: "this `(` is never closed; expected `)`".into(),
                    });
                }
                _ => {
                    return Err(self.err(format!(
                        "unexpected `{}`; expected `,` between fields or `)` to close the struct",
                        self.peek_char()
                    )));
                }
            }
        }
        self.depth -= 1;
        Ok(RonKind::Struct { name, fields })
    }
}

/// Whether the text after a backslash escapes a NUL: `\0`, `\x00`, `\u{0}`, `\u0000`.
fn nul_escape(rest: &str) -> bool {
    if rest.starts_with('0') || rest.starts_with("x00") || rest.starts_with("u0000") {
        return true;
    }
    rest.strip_prefix("u{")
        .and_then(|r| r.split_once('}'))
        .is_some_and(|(digits, _)| !digits.is_empty() && digits.chars().all(|c| c == '0'))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let mut off = offset;
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    let before = &src[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_structs_lists_and_variants() {
        let src = r##"#![enable(implicit_some)]
// comment
Scenario(id: "a", list: [1, 2.5, -3], v: Some(X(1, "b")), m: {"k": (a: 1)}, e: None, r: r#"raw"#)"##;
        let t = parse(src).unwrap();
        assert!(matches!(t.field("id").unwrap().kind, RonKind::Str(ref s) if s == "a"));
        assert_eq!(t.field("list").unwrap().children().len(), 3);
        let m = t.field("m").unwrap().index(0).unwrap();
        assert!(m.field("a").is_some());
        assert!(matches!(t.field("r").unwrap().kind, RonKind::Str(ref s) if s == "raw"));
    }

    #[test]
    fn reports_unclosed_and_depth() {
        assert!(parse("(a: [1, 2").is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nested"));
        assert!(parse("").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn escaped_multibyte_chars_do_not_split_characters() {
        let t = parse("(a: \"x\\\u{fe54}y\", b: '\\\u{e9}')").unwrap();
        assert!(t.field("b").is_some());
        assert!(parse("(a: \"\\\u{fe54}").is_err());
        assert!(parse("(a: '\\\u{fe54}").is_err());
    }

    #[test]
    fn line_col_counts_chars() {
        let s = "ab\ncdé f";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, s.len()), (2, 6));
    }
}
