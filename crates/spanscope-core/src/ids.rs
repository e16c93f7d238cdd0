//! Trace and span identifiers: parsed once from hex (or base64 in protobuf-JSON) into integers,
//! so lookups hash 8 bytes instead of strings, and printed back as lowercase hex.

use std::fmt;

/// A trace id: up to 128 bits, remembering whether the input used 64-bit (16 hex chars) or
/// 128-bit (32 hex chars) form so it is printed back the way the user knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TraceId {
    pub value: u128,
    pub wide: bool,
}

impl TraceId {
    pub fn new(value: u128, wide: bool) -> Self {
        TraceId { value, wide: wide || value > u64::MAX as u128 }
    }

    /// Lower 64 bits: Zipkin treats a 64-bit id and a 128-bit id with the same lower half as the
    /// same trace.
    pub fn low64(&self) -> u64 {
        self.value as u64
    }

    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wide {
            write!(f, "{:032x}", self.value)
        } else {
            write!(f, "{:016x}", self.value as u64)
        }
    }
}

/// A 64-bit span id. Zero means "none", as in every tracing format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SpanId(pub u64);

impl SpanId {
    pub const NONE: SpanId = SpanId(0);

    pub fn is_none(&self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// Why an id string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Empty,
    Invalid,
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Parses up to 32 hex digits (either case). Returns the value and the digit count.
pub fn parse_hex(s: &str) -> Option<(u128, usize)> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 32 {
        return None;
    }
    // Span ids are the hot case: 16 digits fit a u64, which is much cheaper than u128 math.
    if bytes.len() <= 16 {
        let mut value: u64 = 0;
        for &b in bytes {
            value = (value << 4) | hex_digit(b)? as u64;
        }
        return Some((value as u128, bytes.len()));
    }
    let mut value: u128 = 0;
    for &b in bytes {
        value = (value << 4) | hex_digit(b)? as u128;
    }
    Some((value, bytes.len()))
}

/// Standard base64 (with or without padding) as protobuf-JSON writes `bytes` fields.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a' + 26) as u32),
            b'0'..=b'9' => Some((c - b'0' + 52) as u32),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        }
    }
    let trimmed = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in trimmed.as_bytes() {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn be_to_u128(bytes: &[u8]) -> u128 {
    bytes.iter().fold(0u128, |acc, &b| (acc << 8) | b as u128)
}

/// Reads a trace id written as hex (16 or 32 digits, shorter is accepted as Zipkin and
/// Jaeger strip leading zeros) or as base64 of 8/16 bytes (protobuf-JSON).
pub fn parse_trace_id(s: &str) -> Result<TraceId, IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some((value, digits)) = parse_hex(s) {
        return Ok(TraceId::new(value, digits > 16));
    }
    match decode_base64(s) {
        Some(bytes) if bytes.len() == 16 || bytes.len() == 8 => {
            Ok(TraceId::new(be_to_u128(&bytes), bytes.len() == 16))
        }
        _ => Err(IdError::Invalid),
    }
}

/// Reads a span id: hex up to 16 digits, or base64 of 8 bytes. Wider hex ids (seen from some
/// Zipkin proxies) keep their lower 64 bits.
pub fn parse_span_id(s: &str) -> Result<SpanId, IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some((value, _)) = parse_hex(s) {
        return Ok(SpanId(value as u64));
    }
    match decode_base64(s) {
        Some(bytes) if bytes.len() == 8 => Ok(SpanId(be_to_u128(&bytes) as u64)),
        _ => Err(IdError::Invalid),
    }
}

/// Stable stand-in for an id that is not hex: the FNV-1a hash of its text, never zero.
pub fn hashed_span_id(s: &str) -> SpanId {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    SpanId(h.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_ids() {
        let t = parse_trace_id("5B8EFFF798038103D269B633813FC60C").unwrap();
        assert_eq!(t.to_string(), "5b8efff798038103d269b633813fc60c");
        let t = parse_trace_id("0000000000000001").unwrap();
        assert_eq!(t.to_string(), "0000000000000001");
        let t = parse_trace_id("AAAAAAAAAAAAAAAAAAAAAQ==").unwrap();
        assert_eq!(t.to_string(), "00000000000000000000000000000001");
        assert_eq!(parse_span_id("AAAAAAAAAAI=").unwrap(), SpanId(2));
        assert_eq!(parse_span_id("EEE19B7EC3C1B174").unwrap(), SpanId(0xEEE19B7EC3C1B174));
        assert!(parse_span_id("not an id!").is_err());
        assert_eq!(encode_base64(&[0, 0, 0x30, 0x39]), "AAAwOQ==");
        assert_eq!(decode_base64("AAAwOQ==").unwrap(), vec![0, 0, 0x30, 0x39]);
    }
}
