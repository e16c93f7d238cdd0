//! Trace text made safe to print on a terminal. Service names, attribute values and server
//! messages come from whoever sent the trace: a raw ESC starts an ANSI or OSC sequence (which
//! can recolour, retitle, hide text or write hyperlinks), C1 controls do the same on some
//! terminals, and bidi overrides make text read differently from what it is.

use std::borrow::Cow;

/// Characters that never reach a terminal raw: C0 and C1 controls, DEL, and the bidi
/// embedding, override and isolate controls (and the marks that steer them).
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character written as a visible escape (`\u{1b}`), newlines and
/// tabs included: for one field of a table.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape(s, is_terminal_unsafe)
}

/// Like [`terminal_safe`], but keeps line breaks: for messages of several lines.
pub fn terminal_safe_lines(s: &str) -> Cow<'_, str> {
    escape(s, |c| c != '\n' && is_terminal_unsafe(c))
}

fn escape(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_sequences_and_bidi() {
        assert_eq!(terminal_safe("checkout"), "checkout");
        assert!(matches!(terminal_safe("plain ünïcödé 服务"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\x1b[31mred\x1b[0m"), "a\\u{1b}[31mred\\u{1b}[0m");
        assert_eq!(terminal_safe("\x1b]0;title\x07"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(terminal_safe("del\x7f c1\u{9b}2J"), "del\\u{7f} c1\\u{9b}2J");
        assert_eq!(terminal_safe("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(terminal_safe("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
        assert_eq!(terminal_safe("two\nlines\r\t"), "two\\u{a}lines\\u{d}\\u{9}");
        assert_eq!(terminal_safe_lines("two\nlines\r"), "two\nlines\\u{d}");
    }
}
