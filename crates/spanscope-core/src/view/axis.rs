//! Time-axis ticks at "nice" steps (1, 2, 5 × 10^n) that follow zoom, with labels that say
//! the unit: 0 ms, 50 ms, 100 ms; or 1.25 s, 1.50 s.

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Nanoseconds since the trace start.
    pub at_ns: f64,
    pub label: String,
}

/// Ticks in `[from_ns, to_ns]`, at most about `max_ticks` of them.
pub fn ticks(from_ns: f64, to_ns: f64, max_ticks: usize) -> Vec<Tick> {
    let span = (to_ns - from_ns).max(1.0);
    let raw = span / max_ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (from_ns / step).ceil() * step;
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let at = first + i as f64 * step;
        if at > to_ns + step * 1e-9 || out.len() > max_ticks * 2 + 2 {
            break;
        }
        out.push(Tick { at_ns: at, label: label(at, step, to_ns.abs().max(from_ns.abs())) });
        i += 1;
    }
    out
}

/// A label in the unit of the range's largest value, with just enough decimals for the step.
fn label(ns: f64, step: f64, largest: f64) -> String {
    let (unit, scale) = if largest >= 1e9 {
        ("s", 1e9)
    } else if largest >= 1e6 {
        ("ms", 1e6)
    } else if largest >= 1e3 {
        ("µs", 1e3)
    } else {
        ("ns", 1.0)
    };
    let step_in_unit = step / scale;
    let decimals = if step_in_unit >= 1.0 { 0 } else { (-step_in_unit.log10()).ceil() as usize };
    format!("{} {unit}", crate::format::fixed(ns / scale, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        let t = ticks(0.0, 200e6, 5);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0 ms", "50 ms", "100 ms", "150 ms", "200 ms"]);
        let t = ticks(1.2e9, 1.6e9, 4);
        assert_eq!(
            t.iter().map(|t| t.label.clone()).collect::<Vec<_>>(),
            ["1.2 s", "1.3 s", "1.4 s", "1.5 s", "1.6 s"]
        );
        let t = ticks(0.0, 750.0, 4);
        assert_eq!(t[1].label, "200 ns");
        assert!(ticks(5.0, 5.0, 8).len() <= 18);
    }
}
