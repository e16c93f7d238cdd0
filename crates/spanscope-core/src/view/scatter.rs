//! The search results' scatter plot as numbers: each trace a dot at (start time, duration),
//! sized by span count. The app draws it with plotters; hover and click find the nearest dot
//! here, so hit testing is tested natively.

/// Data ranges of the plot, padded so no dot sits on the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterRange {
    pub start_ns: (i64, i64),
    pub duration_ns: (i64, i64),
}

impl ScatterRange {
    /// Covers every point; a single point or equal values get a span around them. Durations
    /// start at zero, as Jaeger's plot does, so heights compare honestly.
    pub fn of(points: impl IntoIterator<Item = (i64, i64)>) -> Option<ScatterRange> {
        let mut it = points.into_iter();
        let (s0, d0) = it.next()?;
        let (mut smin, mut smax, mut dmax) = (s0, s0, d0);
        for (s, d) in it {
            smin = smin.min(s);
            smax = smax.max(s);
            dmax = dmax.max(d);
        }
        let pad = ((smax - smin) / 20).max(500_000_000);
        Some(ScatterRange {
            start_ns: (smin - pad, smax + pad),
            duration_ns: (0, (dmax + dmax / 10).max(1_000)),
        })
    }
}

/// Where the plot area is on screen (CSS pixels) and what it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterScale {
    pub range: ScatterRange,
    /// Left, right, top, bottom of the plotting area.
    pub area: (f64, f64, f64, f64),
}

impl ScatterScale {
    pub fn to_screen(&self, start_ns: i64, duration_ns: i64) -> (f64, f64) {
        let (l, r, t, b) = self.area;
        let (s0, s1) = self.range.start_ns;
        let (d0, d1) = self.range.duration_ns;
        let x = l + (start_ns - s0) as f64 / ((s1 - s0).max(1)) as f64 * (r - l);
        let y = b - (duration_ns - d0) as f64 / ((d1 - d0).max(1)) as f64 * (b - t);
        (x, y)
    }

    /// The dot under (`x`, `y`): the nearest centre within its radius plus `slack` pixels.
    /// Small dots drawn last win ties, as they are drawn on top.
    pub fn hit(&self, points: &[(i64, i64, f64)], x: f64, y: f64, slack: f64) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, &(s, d, radius)) in points.iter().enumerate() {
            let (px, py) = self.to_screen(s, d);
            let dist = ((px - x).powi(2) + (py - y).powi(2)).sqrt();
            if dist <= radius + slack && best.is_none_or(|(_, b)| dist <= b) {
                best = Some((i, dist));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// A dot's radius in CSS pixels from its span count: 3 px for one span, growing with the
/// logarithm so a 10,000-span trace does not hide its neighbours.
pub fn dot_radius(spans: usize) -> f64 {
    (3.0 + (spans.max(1) as f64).log10() * 2.0).min(12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_and_mapping() {
        let r =
            ScatterRange::of([(10_000_000_000, 2_000_000), (20_000_000_000, 8_000_000)]).unwrap();
        assert_eq!(r.start_ns, (9_500_000_000, 20_500_000_000));
        assert_eq!(r.duration_ns, (0, 8_800_000));
        assert!(ScatterRange::of(std::iter::empty()).is_none());
        let single = ScatterRange::of([(5, 0)]).unwrap();
        assert!(single.start_ns.0 < 5 && single.start_ns.1 > 5 && single.duration_ns.1 > 0);
        let scale = ScatterScale { range: r, area: (50.0, 550.0, 10.0, 210.0) };
        assert_eq!(scale.to_screen(9_500_000_000, 0), (50.0, 210.0));
        assert_eq!(scale.to_screen(20_500_000_000, 8_800_000), (550.0, 10.0));
    }

    #[test]
    fn hit_finds_the_nearest_dot_within_reach() {
        let scale = ScatterScale {
            range: ScatterRange { start_ns: (0, 1000), duration_ns: (0, 1000) },
            area: (0.0, 1000.0, 0.0, 1000.0),
        };
        let points = [(100, 900, 3.0), (110, 900, 3.0), (500, 500, 10.0)];
        assert_eq!(scale.hit(&points, 101.0, 100.0, 2.0), Some(0));
        assert_eq!(scale.hit(&points, 109.0, 100.0, 2.0), Some(1));
        assert_eq!(scale.hit(&points, 509.0, 500.0, 2.0), Some(2));
        assert_eq!(scale.hit(&points, 300.0, 300.0, 2.0), None);
        assert_eq!(dot_radius(1), 3.0);
        assert_eq!(dot_radius(100), 7.0);
        assert_eq!(dot_radius(10_000_000), 12.0);
    }
}
