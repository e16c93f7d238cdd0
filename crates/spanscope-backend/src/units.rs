//! Time units of the tracing APIs, converted in one place. Jaeger v1 takes microseconds and
//! Go durations, Jaeger api_v3 RFC 3339 times, Zipkin milliseconds (and microseconds for span
//! durations), Tempo Unix seconds and Go durations.

use super::error::DurationError;

pub const NS_PER_US: i64 = 1_000;
pub const NS_PER_MS: i64 = 1_000_000;
pub const NS_PER_S: i64 = 1_000_000_000;
pub const NS_PER_MIN: i64 = 60 * NS_PER_S;
pub const NS_PER_HOUR: i64 = 60 * NS_PER_MIN;
pub const NS_PER_DAY: i64 = 24 * NS_PER_HOUR;

/// Parses a duration such as `1h30m`, `250ms`, `1.5s`, `100us`, `100µs` or `2d` to
/// nanoseconds. This is Go's `time.ParseDuration` syntax (what Jaeger and Tempo accept) plus
/// `d` and `w`, which people type for lookbacks. A bare number is not accepted: the unit
/// would be a guess.
pub fn parse_duration_ns(text: &str) -> Result<i64, DurationError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DurationError::Empty);
    }
    let invalid = || DurationError::Invalid(short(s));
    let mut rest = s;
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len =
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if number_len == 0 {
            return Err(invalid());
        }
        let number = spanscope_core::number::parse_f64(&rest[..number_len]).ok_or_else(invalid)?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" | "μs" => NS_PER_US,
            "ms" => NS_PER_MS,
            "s" => NS_PER_S,
            "m" => NS_PER_MIN,
            "h" => NS_PER_HOUR,
            "d" => NS_PER_DAY,
            "w" => 7 * NS_PER_DAY,
            _ => return Err(invalid()),
        };
        rest = &rest[unit_len..];
        total += number * unit as f64;
    }
    if !total.is_finite() || total > i64::MAX as f64 / 2.0 {
        return Err(DurationError::TooLong(short(s)));
    }
    Ok(total.round() as i64)
}

/// A duration in Go's syntax, exact and short: `1h`, `90m`, `1500us`. Days become hours,
/// since Go has no day unit.
pub fn format_go_duration(ns: i64) -> String {
    for (unit, name) in [
        (NS_PER_HOUR, "h"),
        (NS_PER_MIN, "m"),
        (NS_PER_S, "s"),
        (NS_PER_MS, "ms"),
        (NS_PER_US, "us"),
    ] {
        if ns != 0 && ns % unit == 0 {
            return format!("{}{name}", ns / unit);
        }
    }
    format!("{ns}ns")
}

/// A lookback for people: `15m`, `2h`, `2d`.
pub fn format_lookback(ns: i64) -> String {
    if ns != 0 && ns % NS_PER_DAY == 0 {
        format!("{}d", ns / NS_PER_DAY)
    } else {
        format_go_duration(ns)
    }
}

/// RFC 3339 with nanoseconds in UTC (`2026-11-24T12:00:00.000000000Z`), as Go's
/// `time.RFC3339Nano` parses it (Jaeger api_v3).
pub fn rfc3339_nanos(unix_ns: i64) -> String {
    let secs = unix_ns.div_euclid(NS_PER_S);
    let nanos = unix_ns.rem_euclid(NS_PER_S);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = spanscope_core::format::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Microseconds since the epoch (Jaeger v1 `start`/`end`).
pub fn to_micros(unix_ns: i64) -> i64 {
    unix_ns.div_euclid(NS_PER_US)
}

/// Milliseconds since the epoch (Zipkin `endTs`, `lookback`; Jaeger `/api/dependencies`).
pub fn to_millis(unix_ns: i64) -> i64 {
    unix_ns.div_euclid(NS_PER_MS)
}

/// Whole seconds since the epoch, rounded outwards so a range never shrinks (Tempo
/// `start`/`end`).
pub fn to_seconds_floor(unix_ns: i64) -> i64 {
    unix_ns.div_euclid(NS_PER_S)
}

pub fn to_seconds_ceil(unix_ns: i64) -> i64 {
    -(-unix_ns).div_euclid(NS_PER_S)
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration_ns("1h30m"), Ok(90 * NS_PER_MIN));
        assert_eq!(parse_duration_ns("250ms"), Ok(250 * NS_PER_MS));
        assert_eq!(parse_duration_ns("1.5s"), Ok(1_500 * NS_PER_MS));
        assert_eq!(parse_duration_ns("100us"), Ok(100_000));
        assert_eq!(parse_duration_ns("100µs"), Ok(100_000));
        assert_eq!(parse_duration_ns(" 2d "), Ok(2 * NS_PER_DAY));
        assert_eq!(parse_duration_ns("1w"), Ok(7 * NS_PER_DAY));
        assert_eq!(parse_duration_ns("15ns"), Ok(15));
        assert!(parse_duration_ns("15") == Err(DurationError::Invalid("15".into())));
        assert!(parse_duration_ns("ms").is_err());
        assert!(parse_duration_ns("1.2.3s").is_err());
        assert!(parse_duration_ns("5 parsecs").is_err());
        assert!(parse_duration_ns("").is_err());
        assert!(matches!(
            parse_duration_ns("99999999999999999999h"),
            Err(DurationError::TooLong(_))
        ));
    }

    #[test]
    fn go_duration_output_is_exact_and_round_trips() {
        assert_eq!(format_go_duration(NS_PER_HOUR), "1h");
        assert_eq!(format_go_duration(2 * NS_PER_DAY), "48h");
        assert_eq!(format_go_duration(90 * NS_PER_MIN), "90m");
        assert_eq!(format_go_duration(1_500 * NS_PER_MS), "1500ms");
        assert_eq!(format_go_duration(1_500_000 + 1), "1500001ns");
        assert_eq!(format_go_duration(0), "0ns");
        assert_eq!(format_lookback(2 * NS_PER_DAY), "2d");
        assert_eq!(format_lookback(15 * NS_PER_MIN), "15m");
        for ns in [1, 999, 1_000, 1_500_000, 61 * NS_PER_S, 3 * NS_PER_DAY] {
            assert_eq!(parse_duration_ns(&format_go_duration(ns)), Ok(ns));
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_nanos(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(rfc3339_nanos(1_767_258_000_123_456_789), "2026-01-01T09:00:00.123456789Z");
        assert_eq!(rfc3339_nanos(-1), "1969-12-31T23:59:59.999999999Z");
        assert_eq!(to_micros(1_767_258_000_123_456_789), 1_767_258_000_123_456);
        assert_eq!(to_millis(1_767_258_000_123_456_789), 1_767_258_000_123);
        assert_eq!(to_seconds_floor(1_767_258_000_123_456_789), 1_767_258_000);
        assert_eq!(to_seconds_ceil(1_767_258_000_123_456_789), 1_767_258_001);
        assert_eq!(to_seconds_ceil(1_767_258_000 * NS_PER_S), 1_767_258_000);
    }
}
