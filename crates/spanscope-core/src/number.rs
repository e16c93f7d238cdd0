//! Decimal text to `f64`.
//!
//! `str::parse::<f64>` brings the standard library's 10 KB power-of-five table into the web
//! app (9 KB gzipped, incompressible). serde_json's parser is already there and rounds the
//! same way, so numbers in text go through it: the text is reshaped into a JSON number first.

/// Parses what `str::parse::<f64>` accepts: an optional sign, digits with an optional
/// fraction (`.5` and `5.` too) and exponent, or `inf`/`infinity`/`nan` in any case.
/// Surrounding whitespace is not accepted, as with `str::parse`; unlike it, a finite number
/// too large for `f64` (`1e400`) is `None` rather than infinity.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        serde_json::from_str::<f64>(&json_number(body)?).ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `body` (no sign) as a JSON number: leading zeros dropped, a bare `.` given its digits.
fn json_number(body: &str) -> Option<String> {
    let mantissa_end = body.find(['e', 'E']).unwrap_or(body.len());
    let (mantissa, exponent) = body.split_at(mantissa_end);
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && fraction.is_empty()) || !digits(int) || !digits(fraction) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(body.len() + 2);
    json.push_str(if int.is_empty() { "0" } else { int });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if !exponent.is_empty() {
        let sign_free = exponent[1..].trim_start_matches(['+', '-']);
        if sign_free.is_empty() || !digits(sign_free) || exponent.len() - sign_free.len() > 2 {
            return None;
        }
        json.push_str(exponent);
    }
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    #[test]
    fn parses_like_the_standard_library() {
        for text in [
            "0",
            "1",
            "-1",
            "+2.5",
            "0.1",
            ".5",
            "5.",
            "-.5",
            "007",
            "1e3",
            "1E-3",
            "2.5e+10",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "5e-324",
            "0.30000000000000004",
            "3.141592653589793238462643383279",
            "-0",
            "00.000",
        ] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(parse_f64(text).map(f64::to_bits), Some(want.to_bits()), "{text}");
        }
    }

    #[test]
    fn specials_and_rejects() {
        assert_eq!(parse_f64("inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_f64("NaN").unwrap().is_nan());
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1e+-2", "1.2.3", "1,5", " 1", "1 ", "0x10",
            "--1", "1e5x",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
            assert!(text.parse::<f64>().is_err(), "std accepts {text:?}");
        }
        assert_eq!(parse_f64("1e400"), None);
    }
}
