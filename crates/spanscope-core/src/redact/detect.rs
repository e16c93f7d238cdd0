//! The built-in sensitive-data detector: what instrumentation commonly captures by mistake.
//! Keys are judged by their words (`http.request.header.authorization`, `db.password`,
//! `apiKey`), values by their shape (JWTs, bearer and basic credentials, AWS access key ids,
//! e-mail addresses, card numbers that pass the Luhn check, passwords inside URLs).
//! Hand-written scanners rather than regexes: linear in the text, and no regex engine in the
//! web app.

/// What a finding looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// An `Authorization`, `Proxy-Authorization`, `Cookie` or `Set-Cookie` header.
    AuthHeader,
    /// A key named like a password, secret, token or API key.
    SecretKey,
    Jwt,
    BearerToken,
    BasicCredentials,
    AwsAccessKey,
    UrlPassword,
    Email,
    CardNumber,
}

impl FindingKind {
    pub fn label(&self) -> &'static str {
        match self {
            FindingKind::AuthHeader => "authorization or cookie header",
            FindingKind::SecretKey => "key named like a secret",
            FindingKind::Jwt => "JSON Web Token",
            FindingKind::BearerToken => "bearer token",
            FindingKind::BasicCredentials => "basic-auth credentials",
            FindingKind::AwsAccessKey => "AWS access key id",
            FindingKind::UrlPassword => "password in a URL",
            FindingKind::Email => "e-mail address",
            FindingKind::CardNumber => "payment card number",
        }
    }

    /// Short machine name, for `--json` and tests.
    pub fn name(&self) -> &'static str {
        match self {
            FindingKind::AuthHeader => "auth-header",
            FindingKind::SecretKey => "secret-key",
            FindingKind::Jwt => "jwt",
            FindingKind::BearerToken => "bearer-token",
            FindingKind::BasicCredentials => "basic-credentials",
            FindingKind::AwsAccessKey => "aws-access-key",
            FindingKind::UrlPassword => "url-password",
            FindingKind::Email => "email",
            FindingKind::CardNumber => "card-number",
        }
    }
}

/// What the key alone says, whatever the value: `Some` for header and secret-like names.
pub fn sensitive_key(key: &str) -> Option<FindingKind> {
    let words = key_words(key);
    let has = |w: &str| words.iter().any(|x| x == w);
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    if has("authorization") || has("cookie") || pair("set", "cookie") {
        return Some(FindingKind::AuthHeader);
    }
    const SECRET_WORDS: [&str; 9] = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "passphrase",
    ];
    let secret = SECRET_WORDS.iter().any(|w| has(w))
        || pair("api", "key")
        || pair("private", "key")
        || pair("access", "key")
        || pair("auth", "key");
    secret.then_some(FindingKind::SecretKey)
}

/// A key's lowercase words: split at ASCII punctuation and spaces, and at camelCase.
/// (Letters outside ASCII count as letters: `case` instead of the Unicode tables.)
fn key_words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        let lower = crate::case::lower_char(c);
        if lower != c && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = lower == c;
        word.push(lower);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Values that already say they were removed: not findings.
pub fn already_masked(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.bytes().all(|b| b == b'*' || b == b'x' || b == b'X' || b == b'.')
        || ["[redacted]", "<redacted>", "redacted", "[filtered]", "[masked]", "<hidden>"]
            .iter()
            .any(|m| v.eq_ignore_ascii_case(m))
        || v.starts_with("hash:")
}

/// The first thing in `value` that looks like a secret or personal data.
pub fn sensitive_value(value: &str) -> Option<FindingKind> {
    let b = value.as_bytes();
    if has_jwt(b) {
        return Some(FindingKind::Jwt);
    }
    if has_bearer(b) {
        return Some(FindingKind::BearerToken);
    }
    if has_basic(b) {
        return Some(FindingKind::BasicCredentials);
    }
    if has_aws_key(b) {
        return Some(FindingKind::AwsAccessKey);
    }
    if has_url_password(value) {
        return Some(FindingKind::UrlPassword);
    }
    if has_email(b) {
        return Some(FindingKind::Email);
    }
    if has_card_number(b) {
        return Some(FindingKind::CardNumber);
    }
    None
}

fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
}

/// Start positions of `needle` in `hay`, ignoring ASCII case.
fn find_all_ci<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    (0..hay.len().saturating_sub(needle.len() - 1))
        .filter(move |&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Length of the run of bytes from `at` that satisfy `ok`.
fn run(b: &[u8], at: usize, ok: impl Fn(u8) -> bool) -> usize {
    b[at.min(b.len())..].iter().take_while(|&&c| ok(c)).count()
}

/// `eyJ…​.eyJ…​.…`: a base64url JSON header, a base64url JSON payload, a signature.
fn has_jwt(b: &[u8]) -> bool {
    find_all_ci(b, b"eyJ").any(|i| {
        if b[i..].starts_with(b"eyJ") && (i == 0 || !is_b64url(b[i - 1])) {
            let header = run(b, i, is_b64url);
            let dot = i + header;
            header >= 10 && b.get(dot) == Some(&b'.') && b[dot + 1..].starts_with(b"eyJ") && {
                let payload = run(b, dot + 1, is_b64url);
                payload >= 10 && b.get(dot + 1 + payload) == Some(&b'.')
            }
        } else {
            false
        }
    })
}

fn has_bearer(b: &[u8]) -> bool {
    find_all_ci(b, b"bearer ").any(|i| {
        (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && run(b, i + 7, is_token_char) >= 16
    })
}

/// `Basic <base64 of user:password>`: decoded, it must hold a colon and only printable text,
/// so prose such as "basic authentication" is not a finding.
fn has_basic(b: &[u8]) -> bool {
    find_all_ci(b, b"basic ").any(|i| {
        if i > 0 && b[i - 1].is_ascii_alphanumeric() {
            return false;
        }
        let start = i + 6;
        let len =
            run(b, start, |c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=');
        len >= 8
            && decode_base64(&b[start..start + len])
                .is_some_and(|d| d.contains(&b':') && d.iter().all(|c| (0x20..0x7f).contains(c)))
    })
}

fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text.iter().take_while(|&&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// `AKIA…` or `ASIA…` and 16 more capitals or digits, standing alone.
fn has_aws_key(b: &[u8]) -> bool {
    (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && run(b, i + 4, |c| c.is_ascii_uppercase() || c.is_ascii_digit()) == 16
    })
}

/// `scheme://user:password@host`.
fn has_url_password(value: &str) -> bool {
    value.match_indices("://").any(|(i, _)| {
        let rest = &value[i + 3..];
        let end = rest.find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace());
        let authority = &rest[..end.unwrap_or(rest.len())];
        match authority.rfind('@') {
            Some(at) => authority[..at].split_once(':').is_some_and(|(_, pw)| !pw.is_empty()),
            None => false,
        }
    })
}

fn is_email_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `local@domain.tld` with a letters-only top-level domain of two or more letters.
fn has_email(b: &[u8]) -> bool {
    b.iter().enumerate().filter(|(_, &c)| c == b'@').any(|(at, _)| {
        let local = b[..at].iter().rev().take_while(|&&c| is_email_local(c)).count();
        let domain_len = run(b, at + 1, |c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
        let domain = &b[at + 1..at + 1 + domain_len];
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        local > 0
            && match domain.iter().rposition(|&c| c == b'.') {
                Some(dot) => {
                    let tld = &domain[dot + 1..];
                    dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
                }
                None => false,
            }
    })
}

/// 13 to 19 digits, optionally grouped by single spaces or dashes, that pass the Luhn check
/// and start as the card networks' numbers do (2–6).
fn has_card_number(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut digits = Vec::with_capacity(19);
        let mut j = i;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                digits.push(b[j] - b'0');
                j += 1;
            } else if matches!(b[j], b' ' | b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        let standalone = j == b.len() || !b[j].is_ascii_alphanumeric();
        if standalone
            && (13..=19).contains(&digits.len())
            && (2..=6).contains(&digits[0])
            && luhn(&digits)
        {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = d as u32;
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_by_their_words() {
        for key in [
            "http.request.header.authorization",
            "Authorization",
            "http.response.header.set-cookie",
            "cookie",
        ] {
            assert_eq!(sensitive_key(key), Some(FindingKind::AuthHeader), "{key}");
        }
        for key in [
            "db.password",
            "apiKey",
            "x-api-key",
            "client_secret",
            "access_token",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert_eq!(sensitive_key(key), Some(FindingKind::SecretKey), "{key}");
        }
        for key in
            ["gen_ai.usage.input_tokens", "http.method", "db.statement", "tokenizer", "keyboard"]
        {
            assert_eq!(sensitive_key(key), None, "{key}");
        }
    }

    #[test]
    fn values_by_their_shape() {
        let cases = [
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", Some(FindingKind::Jwt)),
            ("Authorization: Bearer abcdef0123456789abcdef", Some(FindingKind::BearerToken)),
            ("Basic dXNlcjpodW50ZXIy", Some(FindingKind::BasicCredentials)),
            ("basic authentication failed", None),
            ("key=AKIAIOSFODNN7EXAMPLE;", Some(FindingKind::AwsAccessKey)),
            ("postgres://app:s3cret@db:5432/orders", Some(FindingKind::UrlPassword)),
            ("https://example.com/a@b", None),
            ("mail jane.doe+x@example.co.uk now", Some(FindingKind::Email)),
            ("npm i @types/node", None),
            ("user@localhost", None),
            ("card 4111 1111 1111 1111 ok", Some(FindingKind::CardNumber)),
            ("4111-1111-1111-1111", Some(FindingKind::CardNumber)),
            ("4111111111111112", None),
            ("id 1234567890123456789", None),
            ("trace 4bf92f3577b34da6a3ce929d0e0e4736", None),
        ];
        for (value, want) in cases {
            assert_eq!(sensitive_value(value), want, "{value}");
        }
    }

    #[test]
    fn masked_values_are_not_findings() {
        for v in ["***", "[REDACTED]", "", "hash:0123456789abcdef", "xxxx"] {
            assert!(already_masked(v), "{v}");
        }
        assert!(!already_masked("hunter2"));
    }

    #[test]
    fn luhn_checks() {
        assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
        assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
    }
}
