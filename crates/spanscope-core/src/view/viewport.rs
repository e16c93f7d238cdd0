//! Mapping between trace time and pixels, and zoom/pan of the visible time window.

/// The visible time window, as fractions of the trace duration: `0.0..1.0` shows everything.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub start: f64,
    pub end: f64,
}

impl Default for Window {
    fn default() -> Self {
        Window { start: 0.0, end: 1.0 }
    }
}

/// Narrowest window: a millionth of the trace, so a nanosecond span in a long trace can be
/// inspected without numbers losing precision.
const MIN_WIDTH: f64 = 1e-6;

impl Window {
    pub fn new(start: f64, end: f64) -> Window {
        let (a, b) = if start <= end { (start, end) } else { (end, start) };
        let mut w = Window { start: a.max(0.0), end: b.min(1.0) };
        if w.end - w.start < MIN_WIDTH {
            let mid = ((a + b) / 2.0).clamp(MIN_WIDTH / 2.0, 1.0 - MIN_WIDTH / 2.0);
            w = Window { start: mid - MIN_WIDTH / 2.0, end: mid + MIN_WIDTH / 2.0 };
        }
        w
    }

    pub fn width(&self) -> f64 {
        self.end - self.start
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the point at fraction `anchor` of the window
    /// (0 = left edge, 1 = right edge) where it is.
    pub fn zoom(&self, factor: f64, anchor: f64) -> Window {
        let width = (self.width() * factor).clamp(MIN_WIDTH, 1.0);
        let pivot = self.start + self.width() * anchor.clamp(0.0, 1.0);
        let start = pivot - width * anchor.clamp(0.0, 1.0);
        Window::new(start, start + width).shifted_into_range(width)
    }

    /// Moves by `delta` window widths (positive = later), staying inside the trace.
    pub fn pan(&self, delta: f64) -> Window {
        let width = self.width();
        let start = self.start + delta * width;
        Window::new(start, start + width).shifted_into_range(width)
    }

    fn shifted_into_range(self, width: f64) -> Window {
        if self.start <= 0.0 {
            Window { start: 0.0, end: width.min(1.0) }
        } else if self.end >= 1.0 {
            Window { start: (1.0 - width).max(0.0), end: 1.0 }
        } else {
            self
        }
    }
}

/// Converts between nanoseconds and pixels for one drawing area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    /// Trace start and duration, in ns.
    pub trace_start: i64,
    pub trace_duration: i64,
    pub window: Window,
    /// Left edge and width of the drawing area, in CSS pixels.
    pub x0: f64,
    pub width: f64,
}

impl TimeScale {
    /// Visible time range in ns since the trace start.
    pub fn visible_ns(&self) -> (f64, f64) {
        let d = self.trace_duration.max(1) as f64;
        (self.window.start * d, self.window.end * d)
    }

    pub fn x_of(&self, time_ns: i64) -> f64 {
        let (a, b) = self.visible_ns();
        let rel = (time_ns - self.trace_start) as f64;
        self.x0 + (rel - a) / (b - a) * self.width
    }

    /// Time (ns since trace start) under pixel `x`.
    pub fn rel_ns_at(&self, x: f64) -> f64 {
        let (a, b) = self.visible_ns();
        a + (x - self.x0) / self.width * (b - a)
    }

    /// Bar extent of a span, at least one pixel wide so nothing vanishes.
    pub fn bar(&self, start_ns: i64, duration_ns: i64) -> (f64, f64) {
        let x = self.x_of(start_ns);
        let w = (self.x_of(start_ns.saturating_add(duration_ns)) - x).max(1.0);
        (x, w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_anchor_and_stays_inside() {
        let w = Window::default().zoom(0.5, 0.5);
        assert_eq!((w.start, w.end), (0.25, 0.75));
        let w = Window::default().zoom(0.5, 0.0);
        assert_eq!((w.start, w.end), (0.0, 0.5));
        let w = w.pan(2.0);
        assert_eq!((w.start, w.end), (0.5, 1.0));
        let w = Window::default().zoom(1e-9, 0.3);
        assert!((w.width() - 1e-6).abs() < 1e-12);
        assert_eq!(Window::default().zoom(4.0, 0.5), Window::default());
    }

    #[test]
    fn scale_maps_time_to_pixels() {
        let s = TimeScale {
            trace_start: 1_000,
            trace_duration: 200,
            window: Window::new(0.5, 1.0),
            x0: 100.0,
            width: 400.0,
        };
        assert_eq!(s.x_of(1_100), 100.0);
        assert_eq!(s.x_of(1_200), 500.0);
        assert_eq!(s.bar(1_150, 0), (300.0, 1.0));
        assert_eq!(s.rel_ns_at(300.0), 150.0);
    }
}
