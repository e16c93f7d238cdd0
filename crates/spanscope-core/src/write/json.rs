//! A small JSON writer: objects and arrays written straight into a text buffer, keys in the
//! order given. The writers once built a `serde_json::Value` per span: a tree of small
//! allocations for every span, and in the web app 25 KB more code (gzipped).

use std::fmt::Write as _;

/// `text` as a JSON string (quoted, escaped).
pub fn string(buf: &mut String, text: &str) {
    buf.push('"');
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        buf.push_str(&text[plain..i]);
        if escape.is_empty() {
            let _ = write!(buf, "\\u{:04x}", c as u32);
        } else {
            buf.push_str(escape);
        }
        plain = i + c.len_utf8();
    }
    buf.push_str(&text[plain..]);
    buf.push('"');
}

/// The largest integer a JSON number holds exactly in JavaScript; larger int64 values are
/// written as strings, as Jaeger does.
const MAX_SAFE_INT: i64 = (1 << 53) - 1;

/// An integer: a number when JavaScript reads it exactly, else a string.
pub fn int(buf: &mut String, i: i64) {
    if i.abs() <= MAX_SAFE_INT {
        let _ = write!(buf, "{i}");
    } else {
        let _ = write!(buf, "\"{i}\"");
    }
}

/// A float: a number (shortest text that reads back the same), or a string for NaN and
/// the infinities, which JSON has no number for.
pub fn float(buf: &mut String, f: f64) {
    if f.is_finite() {
        let _ = write!(buf, "{f}");
    } else {
        let _ = write!(buf, "\"{f}\"");
    }
}

/// `items` as a JSON array, each written by `item`.
pub fn list<T>(
    buf: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    buf.push('[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        item(buf, x);
    }
    buf.push(']');
}

/// Before an item of a list opened by hand (`[` pushed): a comma unless it is the first.
pub fn item(list: &mut String) -> &mut String {
    if !list.ends_with('[') {
        list.push(',');
    }
    list
}

/// A JSON object being written; `end` closes it.
pub struct Obj<'b> {
    buf: &'b mut String,
    empty: bool,
}

impl<'b> Obj<'b> {
    pub fn new(buf: &'b mut String) -> Obj<'b> {
        buf.push('{');
        Obj { buf, empty: true }
    }

    /// Starts member `key`; the caller writes its value into the buffer returned.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.buf.push(',');
        }
        self.empty = false;
        string(self.buf, key);
        self.buf.push(':');
        self.buf
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        string(self.key(key), value);
        self
    }

    pub fn int(&mut self, key: &str, value: i64) -> &mut Self {
        int(self.key(key), value);
        self
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// A value already in JSON (`true`, `null`, a small number).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).push_str(json);
        self
    }

    pub fn end(&mut self) {
        self.buf.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_reads_back() {
        let hostile = "quote \" backslash \\ newline \n tab \t bell \u{7} nul \0 é 😀 \u{2028}";
        let mut buf = String::new();
        let mut o = Obj::new(&mut buf);
        o.str("text", hostile).int("small", -42).int("big", i64::MAX).raw("yes", "true");
        float(o.key("pi"), 3.25);
        float(o.key("nan"), f64::NAN);
        list(o.key("list"), [1, 2], int);
        o.end();
        let v: serde_json::Value = serde_json::from_str(&buf).unwrap();
        assert_eq!(v["text"], hostile);
        assert_eq!(v["small"], -42);
        assert_eq!(v["big"], i64::MAX.to_string());
        assert_eq!(v["yes"], true);
        assert_eq!(v["pi"], 3.25);
        assert_eq!(v["nan"], "NaN");
        assert_eq!(v["list"], serde_json::json!([1, 2]));
        assert!(!buf.contains('\u{7}') && !buf.contains('\0'), "control characters escaped");
    }
}
