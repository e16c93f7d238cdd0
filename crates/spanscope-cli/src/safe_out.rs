//! JSON output that is safe on a terminal. serde_json escapes C0 controls but writes DEL, C1
//! controls and bidi overrides from a trace raw; this writer turns each of them into a JSON
//! `\uXXXX` escape as the bytes stream past. Inside valid JSON such characters can only stand
//! in strings, so the document means exactly the same.

use std::io::{self, Write};

use spanscope_core::text::is_terminal_unsafe;

pub struct JsonEscapes<W: Write> {
    inner: W,
    /// The start of a UTF-8 sequence that the last write cut in two.
    pending: Vec<u8>,
}

impl<W: Write> JsonEscapes<W> {
    pub fn new(inner: W) -> Self {
        JsonEscapes { inner, pending: Vec::with_capacity(4) }
    }

    /// Escapes the one character in `seq` when it is unsafe, else writes it as it is.
    fn one(&mut self, seq: &[u8]) -> io::Result<()> {
        match unsafe_char(seq) {
            Some(c) => write!(self.inner, "\\u{:04x}", c as u32),
            None => self.inner.write_all(seq),
        }
    }
}

/// Only these bytes can begin an unsafe character: DEL, C1 (U+0080–U+009F), U+061C, and
/// the U+200E–U+2069 marks. They are never UTF-8 continuation bytes.
fn sequence_len(lead: u8) -> Option<usize> {
    match lead {
        0x7F => Some(1),
        0xC2 | 0xD8 => Some(2),
        0xE2 => Some(3),
        _ => None,
    }
}

fn unsafe_char(seq: &[u8]) -> Option<char> {
    let c = std::str::from_utf8(seq).ok()?.chars().next()?;
    is_terminal_unsafe(c).then_some(c)
}

impl<W: Write> Write for JsonEscapes<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        if let Some(&lead) = self.pending.first() {
            let len = sequence_len(lead).unwrap_or(1);
            let take = (len - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() < len {
                return Ok(buf.len());
            }
            let seq = std::mem::take(&mut self.pending);
            self.one(&seq)?;
        }
        let (mut start, mut i) = (0, 0);
        while i < rest.len() {
            let Some(len) = sequence_len(rest[i]) else {
                i += 1;
                continue;
            };
            if i + len > rest.len() {
                self.inner.write_all(&rest[start..i])?;
                self.pending.extend_from_slice(&rest[i..]);
                return Ok(buf.len());
            }
            if unsafe_char(&rest[i..i + len]).is_some() {
                self.inner.write_all(&rest[start..i])?;
                self.one(&rest[i..i + len])?;
                start = i + len;
            }
            i += len;
        }
        self.inner.write_all(&rest[start..])?;
        Ok(buf.len())
    }

    /// A sequence still cut in two stays pending: only the end of the output completes it.
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for JsonEscapes<W> {
    fn drop(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let _ = self.inner.write_all(&pending);
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::JsonEscapes;
    use std::io::Write;

    fn through(chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = JsonEscapes::new(&mut out);
            for c in chunks {
                w.write_all(c).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unsafe_characters_become_json_escapes_across_any_split() {
        let doc = "{\"s\":\"a\u{7f}b\u{9b}c\u{202e}d\u{2066}e\u{61c}f é 服 \u{2014}\"}";
        let want = "{\"s\":\"a\\u007fb\\u009bc\\u202ed\\u2066e\\u061cf é 服 \u{2014}\"}";
        assert_eq!(through(&[doc.as_bytes()]), want);
        let bytes = doc.as_bytes();
        for cut in 0..=bytes.len() {
            assert_eq!(through(&[&bytes[..cut], &bytes[cut..]]), want, "cut at {cut}");
        }
        let each: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(through(&each), want);
        let value: serde_json::Value = serde_json::from_str(want).unwrap();
        assert_eq!(
            value["s"], "a\u{7f}b\u{9b}c\u{202e}d\u{2066}e\u{61c}f é 服 \u{2014}",
            "same document"
        );
    }
}
