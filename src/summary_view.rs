//! Display formatting for summaries: pure functions, tested natively.

/// Microseconds as a short human duration: 1.23 s, 45.6 ms, 789 µs.
pub fn format_duration_us(us: i64) -> String {
    let f = us as f64;
    if us.abs() >= 1_000_000 {
        format!("{:.2} s", f / 1e6)
    } else if us.abs() >= 1000 {
        format!("{:.1} ms", f / 1e3)
    } else {
        format!("{us} µs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(format_duration_us(200_000), "200.0 ms");
        assert_eq!(format_duration_us(44_000_000), "44.00 s");
        assert_eq!(format_duration_us(5), "5 µs");
    }
}
