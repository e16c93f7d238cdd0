//! Chooses a reader by content: scans object keys in document order (skipping string
//! contents, so trace text cannot fool it) until one key tells the format apart.

/// What the first telling key says the input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// `{"data": [...]}` query API envelope.
    JaegerEnvelope,
    /// A trace object (or array / lines of them) with `spans` and `processes`.
    JaegerTraces,
    /// Spans with embedded `process` (array or lines).
    JaegerSpans,
    Zipkin,
    Otlp,
    DependencyLinks,
    TraceSummaries,
    TempoSearch,
    /// No telling key; the keys seen at the top, for the error message.
    Unknown(Vec<String>),
}

/// How far to look before giving up: telling keys come in the first few objects.
const MAX_SCAN_BYTES: usize = 8 << 20;

pub fn sniff(input: &[u8]) -> Sniffed {
    let end = input.len().min(MAX_SCAN_BYTES);
    let bytes = &input[..end];
    let mut seen_top = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut dependency_keys = 0;
    // `data` says "Jaeger envelope", but Jaeger's `/api/dependencies` wraps its links in one
    // too: the next telling key decides between the two.
    let mut envelope = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let text = &bytes[start..i.min(bytes.len())];
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && bytes[j] == b':' {
                    match classify_key(text, &mut dependency_keys) {
                        Some(Sniffed::JaegerEnvelope) => envelope = true,
                        Some(Sniffed::DependencyLinks) => return Sniffed::DependencyLinks,
                        Some(_) if envelope => return Sniffed::JaegerEnvelope,
                        Some(found) => return found,
                        None => {}
                    }
                    if depth <= 2 && seen_top.len() < 8 {
                        let key = String::from_utf8_lossy(&text[..text.len().min(40)]).into_owned();
                        if !seen_top.contains(&key) {
                            seen_top.push(key);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if envelope {
        Sniffed::JaegerEnvelope
    } else {
        Sniffed::Unknown(seen_top)
    }
}

fn classify_key(key: &[u8], dependency_keys: &mut u32) -> Option<Sniffed> {
    Some(match key {
        b"resourceSpans" | b"batches" | b"scopeSpans" | b"instrumentationLibrarySpans" => {
            Sniffed::Otlp
        }
        b"data" | b"errors" => Sniffed::JaegerEnvelope,
        b"spans" | b"processes" => Sniffed::JaegerTraces,
        b"spanID" | b"operationName" | b"processID" | b"process" => Sniffed::JaegerSpans,
        b"traceId" | b"localEndpoint" | b"remoteEndpoint" | b"binaryAnnotations"
        | b"annotations" => Sniffed::Zipkin,
        b"summaries" => Sniffed::TraceSummaries,
        b"spanSets" | b"spanSet" | b"rootServiceName" => Sniffed::TempoSearch,
        b"parent" | b"child" | b"callCount" => {
            *dependency_keys += 1;
            if *dependency_keys < 2 {
                return None;
            }
            Sniffed::DependencyLinks
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_inside_strings_do_not_count() {
        let s = br#"[{"name": "\"spanID\": x", "traceId": "1", "id": "2"}]"#;
        assert_eq!(sniff(s), Sniffed::Zipkin);
        assert_eq!(
            sniff(br#"{"foo": 1, "bar": [2]}"#),
            Sniffed::Unknown(vec!["foo".into(), "bar".into()])
        );
        assert_eq!(sniff(br#"{"traceID":"1","spans":[]}"#), Sniffed::JaegerTraces);
    }

    #[test]
    fn an_envelope_is_told_by_what_it_holds() {
        let links =
            br#"{"data":[{"parent":"a","child":"b","callCount":3}],"total":1,"errors":null}"#;
        assert_eq!(sniff(links), Sniffed::DependencyLinks);
        let traces = br#"{"data":[{"traceID":"1","spans":[{"spanID":"2"}]}],"errors":null}"#;
        assert_eq!(sniff(traces), Sniffed::JaegerEnvelope);
        assert_eq!(sniff(br#"{"data":[],"errors":[{"msg":"x"}]}"#), Sniffed::JaegerEnvelope);
        assert_eq!(sniff(br#"{"errors":[{"code":1}],"data":null}"#), Sniffed::JaegerEnvelope);
    }
}
