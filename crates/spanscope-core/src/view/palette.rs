//! Stable, distinguishable colours for any number of services: hues spaced by the golden
//! angle so neighbours in the list never look alike, with lightness varied in three steps
//! to separate the 100+ services of a large system.

/// sRGB colour of the `index`-th service (in sorted service order).
pub fn service_colour(index: usize) -> (u8, u8, u8) {
    let hue = (index as f64 * 137.507_764) % 360.0;
    let lightness = [0.52, 0.40, 0.64][(index / 7) % 3];
    hsl_to_rgb(hue, 0.62, lightness)
}

/// One colour per service name, the same in every trace, graph and search result the app
/// shows (comparing two traces needs it): a name takes the next colour of the sequence the
/// first time it is registered. Register a trace's services in name order, so the first trace
/// looks as if coloured by rank, neighbours never alike.
#[derive(Debug, Clone, Default)]
pub struct ServiceColours {
    index: rustc_hash::FxHashMap<String, usize>,
}

impl ServiceColours {
    /// Gives each new name, in the given order, the next colour.
    pub fn register<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let next = self.index.len();
            self.index.entry(name.to_string()).or_insert(next);
        }
    }

    /// The colour of `name`; a name never registered gets one from a hash of it (stable, but
    /// not kept apart from its neighbours).
    pub fn colour(&self, name: &str) -> (u8, u8, u8) {
        service_colour(self.index.get(name).copied().unwrap_or_else(|| {
            name.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % 997
        }))
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

pub fn css(rgb: (u8, u8, u8)) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
}

fn hsl_to_rgb(h: f64, s: f64, l: f64) -> (u8, u8, u8) {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to8 = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (to8(r), to8(g), to8(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_stable_and_distinct() {
        assert_eq!(service_colour(0), service_colour(0));
        let colours: Vec<_> = (0..120).map(service_colour).collect();
        for i in 0..colours.len() {
            for j in i + 1..(i + 8).min(colours.len()) {
                let (a, b) = (colours[i], colours[j]);
                let d = (a.0 as i32 - b.0 as i32).abs()
                    + (a.1 as i32 - b.1 as i32).abs()
                    + (a.2 as i32 - b.2 as i32).abs();
                assert!(d > 40, "services {i} and {j} look alike: {a:?} {b:?}");
            }
        }
        assert_eq!(css((255, 0, 16)), "#ff0010");
    }

    #[test]
    fn a_service_keeps_its_colour_across_traces() {
        let mut colours = ServiceColours::default();
        colours.register(["auth", "cart", "web"]);
        let cart = colours.colour("cart");
        assert_eq!(cart, service_colour(1), "the first trace is coloured by rank");
        // A second trace where cart sorts first: cart keeps its colour, a new service takes
        // the next one, and registering again changes nothing.
        colours.register(["billing", "cart"]);
        colours.register(["auth", "cart", "web"]);
        assert_eq!(colours.colour("cart"), cart);
        assert_eq!(colours.colour("billing"), service_colour(3));
        assert_eq!(colours.len(), 4);
        assert_eq!(colours.colour("never-seen"), colours.colour("never-seen"));
    }
}
