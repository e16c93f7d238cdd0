//! Time facts and formats for the detail views: UTC timestamps without a date library, and
//! self time (the part of a span not covered by its children).

use crate::model::{Span, Trace};

/// `2026-01-01 09:00:00.123456 UTC` from Unix nanoseconds.
pub fn format_utc(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let micros = ns.rem_euclid(1_000_000_000) / 1000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{micros:06} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Time inside `span` not covered by any direct child (children clipped to the span).
pub fn self_time_ns(trace: &Trace, span: &Span) -> i64 {
    let (start, end) = (span.start_ns, span.end_ns());
    let mut intervals: Vec<(i64, i64)> = trace
        .span_children(span)
        .iter()
        .map(|&c| &trace.spans[c as usize])
        .map(|c| (c.start_ns.max(start), c.end_ns().min(end)))
        .filter(|(a, b)| b > a)
        .collect();
    intervals.sort_unstable();
    let mut covered = 0;
    let mut cursor = start;
    for (a, b) in intervals {
        let a = a.max(cursor);
        if b > a {
            covered += b - a;
            cursor = b;
        }
    }
    (end - start - covered).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00.000000 UTC");
        assert_eq!(format_utc(1_767_258_000_000_000_000), "2026-01-01 09:00:00.000000 UTC");
        assert_eq!(format_utc(1_485_467_191_639_875_000), "2017-01-26 21:46:31.639875 UTC");
        assert_eq!(format_utc(951_782_400_000_000_000), "2000-02-29 00:00:00.000000 UTC");
    }
}
