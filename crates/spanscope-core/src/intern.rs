//! String interning: service, operation, attribute-key and event names repeat across millions
//! of spans, so each distinct string is stored once and spans refer to it by a 4-byte [`Sym`].

use rustc_hash::FxHashMap;

/// Handle of an interned string. `Sym::EMPTY` is always the empty string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const EMPTY: Sym = Sym(0);
}

#[derive(Debug, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    index: FxHashMap<Box<str>, Sym>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner { strings: Vec::new(), index: FxHashMap::default() };
        interner.intern("");
        interner
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.index.insert(s.into(), sym);
        sym
    }

    /// Rebuilds an interner from its strings in `Sym` order (as [`Interner::iter`] lists
    /// them): every `Sym` of the original means the same string here.
    pub fn from_strings<'a>(strings: impl IntoIterator<Item = &'a str>) -> Interner {
        let mut interner = Interner { strings: Vec::new(), index: FxHashMap::default() };
        for s in strings {
            interner.intern(s);
        }
        interner
    }

    /// Every string, in `Sym` order (the empty string first).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }

    /// Looks a string up without adding it.
    pub fn find(&self, s: &str) -> Option<Sym> {
        self.index.get(s).copied()
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map(|s| &**s).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilt_from_its_strings_every_sym_means_the_same() {
        let mut original = Interner::default();
        let syms: Vec<Sym> = ["checkout", "", "db", "checkout", "ünïcode ✓", "db"]
            .iter()
            .map(|s| original.intern(s))
            .collect();
        let rebuilt = Interner::from_strings(original.iter());
        assert_eq!(rebuilt.len(), 4);
        for sym in syms {
            assert_eq!(rebuilt.get(sym), original.get(sym));
        }
        assert_eq!(rebuilt.find("db"), original.find("db"));
        assert_eq!(rebuilt.find("missing"), None);
    }
}
