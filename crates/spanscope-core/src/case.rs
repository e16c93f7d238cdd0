//! Lower case for case-insensitive search (find, filters), without the standard library's
//! full Unicode case table: `str::to_lowercase` links an 11 KB table into the app (5 KB
//! gzipped, almost 1 % of the size budget) to cover scripts that trace names and attribute
//! values practically never use. This covers ASCII, Latin (Latin-1, Extended-A, Extended
//! Additional), Greek, Cyrillic, Armenian and fullwidth Latin, and agrees with
//! `char::to_lowercase` on all of them (tested); other letters compare as they are.

/// `c` in lower case where this module knows it, else `c`.
pub fn lower_char(c: char) -> char {
    let u = c as u32;
    let paired = |first: u32, last: u32, upper_is_even: bool| {
        (first..=last).contains(&u) && u.is_multiple_of(2) == upper_is_even
    };
    let lower = match u {
        0x41..=0x5A => u + 32,
        0..=0x7F => u,
        0xC0..=0xDE if u != 0xD7 => u + 32,
        0x178 => 0xFF,
        _ if paired(0x100, 0x12F, true) || paired(0x132, 0x137, true) => u + 1,
        _ if paired(0x139, 0x148, false) || paired(0x14A, 0x177, true) => u + 1,
        _ if paired(0x179, 0x17E, false) => u + 1,
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E..=0x38F => u + 63,
        0x391..=0x3AB if u != 0x3A2 => u + 32,
        0x400..=0x40F => u + 80,
        0x410..=0x42F => u + 32,
        _ if paired(0x460, 0x481, true) || paired(0x48A, 0x4BF, true) => u + 1,
        0x4C0 => 0x4CF,
        _ if paired(0x4C1, 0x4CE, false) || paired(0x4D0, 0x52F, true) => u + 1,
        0x531..=0x556 => u + 48,
        0x1E9E => 0xDF,
        _ if paired(0x1E00, 0x1E95, true) || paired(0x1EA0, 0x1EFF, true) => u + 1,
        0xFF21..=0xFF3A => u + 32,
        _ => u,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// `s` in lower case (see [`lower_char`]).
pub fn to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(lower_char).collect()
}

/// Whether `hay` contains `needle` ignoring case; `needle` is already lower case
/// ([`to_lower`]).
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    to_lower(hay).contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character this module changes, and every letter of the scripts it claims,
    /// lower-cases as the standard library does.
    #[test]
    fn agrees_with_std_on_the_scripts_it_covers() {
        let covered = [
            0x00..=0x24F,
            0x370..=0x3FF,
            0x400..=0x52F,
            0x531..=0x58F,
            0x1E00..=0x1EFF,
            0xFF00..=0xFF5F,
        ];
        let mut checked = 0;
        for c in covered.into_iter().flatten().filter_map(char::from_u32) {
            let mut std_lower = c.to_lowercase();
            let single = std_lower.next().filter(|_| std_lower.next().is_none());
            let std_lower = single.unwrap_or(c);
            let in_claimed_block = !(0x180..=0x24F).contains(&(c as u32))
                && !(0x370..=0x385).contains(&(c as u32))
                && !(0x3CF..=0x3FF).contains(&(c as u32));
            if in_claimed_block || lower_char(c) != c {
                assert_eq!(lower_char(c), std_lower, "U+{:04X}", c as u32);
                checked += 1;
            }
        }
        assert!(checked >= 1200, "{checked}");
    }

    #[test]
    fn searches_ignore_case() {
        assert_eq!(to_lower("GET /Checkout"), "get /checkout");
        assert_eq!(to_lower("ÜBER Straße ΣΟΦΊΑ Москва"), "über straße σοφία москва");
        assert!(contains_ignore_case("Zahlung fehlgeschlagen: KARTE ABGELEHNT", "karte"));
        assert!(contains_ignore_case("ОШИБКА оплаты", "ошибка"));
        assert!(contains_ignore_case("anything", ""));
        assert!(!contains_ignore_case("checkout", "cart"));
        // Outside the covered scripts letters compare as they are.
        assert_eq!(to_lower("ႠႡ"), "ႠႡ");
    }
}
