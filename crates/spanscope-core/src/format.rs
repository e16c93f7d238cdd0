//! Times and durations as people read them, in one place: UTC timestamps without a date
//! library, short durations (`1.23 s`, `45.6 ms`, `789 µs`), and the rounding to microseconds
//! that Jaeger and Zipkin use.

/// Nanoseconds to microseconds, rounded half away from zero.
pub fn ns_to_micros_rounded(ns: i64) -> i64 {
    let q = ns / 1000;
    let r = ns % 1000;
    if r >= 500 {
        q + 1
    } else if r <= -500 {
        q - 1
    } else {
        q
    }
}

/// `x` with `decimals` digits after the point (at most 9), rounded half away from zero: what
/// `format!("{x:.N}")` writes, without linking the standard library's exact float printing
/// into the app (5 KB of wasm; the shortest form that `{x}` uses stays). Values too large
/// for exact integer arithmetic fall back to `{x}` of the rounded value.
pub fn fixed(x: f64, decimals: usize) -> String {
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals as u32);
    let scaled = (x.abs() * scale as f64).round();
    if !scaled.is_finite() || scaled >= 9.0e15 {
        return if x.is_nan() { "NaN".into() } else { format!("{}", x.round()) };
    }
    let scaled = scaled as u64;
    let sign = if x < 0.0 && scaled != 0 { "-" } else { "" };
    let whole = scaled / scale;
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    format!("{sign}{whole}.{:0width$}", scaled % scale, width = decimals)
}

/// Microseconds as a short human duration: `1.23 s`, `45.6 ms`, `789 µs`.
pub fn format_duration_us(us: i64) -> String {
    let f = us as f64;
    if us.abs() >= 1_000_000 {
        format!("{} s", fixed(f / 1e6, 2))
    } else if us.abs() >= 1000 {
        format!("{} ms", fixed(f / 1e3, 1))
    } else {
        format!("{us} µs")
    }
}

/// Nanoseconds as a short human duration, rounded to the microsecond.
pub fn format_duration_ns(ns: i64) -> String {
    format_duration_us(ns_to_micros_rounded(ns))
}

/// A change of duration with its sign: `+25.0 ms`, `-3.0 ms`, `0 µs`.
pub fn format_delta_ns(ns: i64) -> String {
    let sign = match ns.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", format_duration_ns(ns.saturating_abs()))
}

/// `2026-01-01 09:00:00.123456 UTC` from Unix nanoseconds.
pub fn format_utc(ns: i64) -> String {
    let ((y, m, d), (h, mi, s)) = utc_date_time(ns.div_euclid(1_000_000_000));
    let micros = ns.rem_euclid(1_000_000_000) / 1000;
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{micros:06} UTC")
}

/// `2020-01-01T00:00:00.000Z` from Unix microseconds, as JavaScript's `toISOString`
/// writes it (link patterns' `epoch_micros_to_date_iso`).
pub fn format_iso_millis(micros: i64) -> String {
    let ms = micros.div_euclid(1000);
    let ((y, m, d), (h, mi, s)) = utc_date_time(ms.div_euclid(1000));
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z", ms.rem_euclid(1000))
}

/// (year, month, day) and (hour, minute, second) of Unix seconds, in UTC.
fn utc_date_time(secs: i64) -> ((i64, u32, u32), (i64, i64, i64)) {
    let rem = secs.rem_euclid(86_400);
    (civil_from_days(secs.div_euclid(86_400)), (rem / 3600, rem % 3600 / 60, rem % 60))
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
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

#[cfg(test)]
mod tests {

    #[test]
    fn fixed_point_matches_std_formatting() {
        for x in
            [0.0, 1.0, -1.0, 0.05, 1.25, 12.345_678, -3.999_96, 1234.5, 99.95, 1e9 / 7.0, 0.000_49]
        {
            for d in 0..=6 {
                let t = x * 10f64.powi(d as i32);
                if ((t.abs().fract()) - 0.5).abs() < 1e-6 {
                    continue; // a tie: std rounds the binary value exactly, half to even
                }
                let std = format!("{x:.d$}");
                let is_zero = std.chars().all(|c| matches!(c, '-' | '0' | '.'));
                let std = if is_zero { std.trim_start_matches('-') } else { &std };
                assert_eq!(fixed(x, d), std, "{x} {d}");
            }
        }
        assert_eq!(fixed(12.345_678, 2), "12.35");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-2.5, 0), "-3");
        assert_eq!(fixed(7.0, 3), "7.000");
        assert_eq!(fixed(0.000_49, 6), "0.000490");
        assert_eq!(fixed(1e300, 2), format!("{}", 1e300));
        assert_eq!(fixed(f64::NAN, 1), "NaN");
    }
    use super::*;

    #[test]
    fn durations_and_rounding() {
        assert_eq!(format_duration_us(200_000), "200.0 ms");
        assert_eq!(format_duration_us(44_000_000), "44.00 s");
        assert_eq!(format_duration_us(5), "5 µs");
        assert_eq!(ns_to_micros_rounded(1_499), 1);
        assert_eq!(ns_to_micros_rounded(1_500), 2);
        assert_eq!(ns_to_micros_rounded(-1_500), -2);
    }

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00.000000 UTC");
        assert_eq!(format_utc(1_767_258_000_000_000_000), "2026-01-01 09:00:00.000000 UTC");
        assert_eq!(format_utc(1_485_467_191_639_875_000), "2017-01-26 21:46:31.639875 UTC");
        assert_eq!(format_utc(951_782_400_000_000_000), "2000-02-29 00:00:00.000000 UTC");
    }
}
