//! Trace ids in what users have at hand: a W3C `traceparent` header, B3 headers (`b3:` and
//! `X-B3-TraceId`), a log line (`trace_id=…`, `"traceId":"…"`), or a Jaeger, Zipkin, Tempo,
//! Grafana or Spanscope URL. Scanned by hand (no regex engine in the web app); the text is
//! percent-decoded first, so ids inside encoded URL parameters (Grafana's `panes=`) are found.

/// Every trace id found in `text`, lowercase, each once, in order of appearance.
pub fn find_trace_ids(text: &str) -> Vec<String> {
    let text = percent_decode(text);
    let b = text.as_bytes();
    // (where it was found, id), kept in text order by inserting in place: a handful of
    // items, and no sort's code in the app for it.
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut add = |at: usize, id: &[u8]| {
        let id: String = id.iter().map(|c| c.to_ascii_lowercase() as char).collect();
        if !found.iter().any(|(_, f)| *f == id) {
            let place = found.partition_point(|(a, _)| *a < at);
            found.insert(place, (at, id));
        }
    };
    // traceparent: version-traceid-spanid-flags, wherever it stands.
    for (i, _) in text.match_indices('-') {
        if i >= 2 && hex_run_back(b, i) == 2 && !is_word(b, i.wrapping_sub(3)) {
            let id = hex_run(b, i + 1);
            let rest = i + 1 + id;
            if id == 32 && b.get(rest) == Some(&b'-') && hex_run(b, rest + 1) == 16 {
                add(i + 1, &b[i + 1..rest]);
            }
        }
    }
    // `key = id` and `"key": "id"` for keys ending in "traceid" (trace_id, traceID,
    // X-B3-TraceId, otel.trace_id), `trace` (Spanscope's `?trace=`), `b3` (the single header:
    // id-spanid-…) and `query` (Grafana Explore's query, when it is just an id).
    let mut i = 0;
    while i < b.len() {
        let len = b[i..].iter().take_while(|&&c| is_key_char(c)).count();
        if len == 0 {
            i += 1;
            continue;
        }
        let key: Vec<u8> = b[i..i + len]
            .iter()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        let after = i + len;
        let key = key.as_slice();
        if key.ends_with(b"traceid") || matches!(key, b"trace" | b"b3" | b"query") {
            if let Some(start) = value_start(b, after) {
                let n = hex_run(b, start);
                let end = start + n;
                let closed = end == b.len() || !is_word(b, end);
                let ok = match key {
                    b"b3" => (n == 16 || n == 32) && b.get(end) == Some(&b'-'),
                    b"query" => (n == 16 || n == 32) && b.get(end) == Some(&b'"'),
                    _ => (8..=32).contains(&n) && closed,
                };
                if ok {
                    add(start, &b[start..end]);
                }
            }
        }
        i = after;
    }
    // URL paths: Jaeger /trace/ID, /api/traces/ID; Zipkin /zipkin/traces/ID,
    // /api/v2/trace/ID; Tempo /api/traces/ID, /api/v2/traces/ID.
    for marker in ["/trace/", "/traces/"] {
        for (i, _) in text.match_indices(marker) {
            let start = i + marker.len();
            let n = hex_run(b, start);
            if (8..=32).contains(&n) && (start + n == b.len() || !is_word(b, start + n)) {
                add(start, &b[start..start + n]);
            }
        }
    }
    found.into_iter().map(|(_, id)| id).collect()
}

fn is_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

fn is_word(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(|c| c.is_ascii_alphanumeric())
}

fn hex_run(b: &[u8], from: usize) -> usize {
    b.get(from..).map_or(0, |s| s.iter().take_while(|c| c.is_ascii_hexdigit()).count())
}

fn hex_run_back(b: &[u8], to: usize) -> usize {
    b[..to].iter().rev().take_while(|c| c.is_ascii_hexdigit()).count()
}

/// Where the value after a key starts: past a closing quote, `=` or `:`, blanks and an
/// opening quote. `None` when no separator follows the key.
fn value_start(b: &[u8], mut i: usize) -> Option<usize> {
    let skip = |i: &mut usize, set: &[u8]| {
        while b.get(*i).is_some_and(|c| set.contains(c)) {
            *i += 1;
        }
    };
    skip(&mut i, b"\"' ");
    if !matches!(b.get(i), Some(b'=' | b':')) {
        return None;
    }
    i += 1;
    skip(&mut i, b"\"' \t");
    Some(i)
}

/// `%22` → `"`; malformed escapes stay as they are.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::find_trace_ids;

    const ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

    #[test]
    fn each_form_gives_its_id() {
        let cases = [
            format!("traceparent: 00-{ID}-00f067aa0ba902b7-01"),
            format!("00-{}-00f067aa0ba902b7-01", ID.to_uppercase()),
            format!("b3: {ID}-00f067aa0ba902b7-1"),
            format!("b3={ID}-00f067aa0ba902b7"),
            format!("X-B3-TraceId: {ID}"),
            format!("2026-12-04T06:19:59Z INFO checkout done trace_id={ID} span_id=00f067aa0ba902b7"),
            format!(r#"{{"level":"error","traceId":"{ID}","msg":"boom"}}"#),
            format!(r#"{{"otel.trace_id": "{ID}"}}"#),
            format!("traceID: {ID}"),
            format!("http://jaeger:16686/trace/{ID}?uiFind=00f067aa0ba902b7"),
            format!("http://jaeger:16686/api/traces/{ID}"),
            format!("http://zipkin:9411/zipkin/traces/{ID}"),
            format!("http://zipkin:9411/api/v2/trace/{ID}"),
            format!("http://tempo:3200/api/v2/traces/{ID}?start=1"),
            format!(
                "http://grafana:3000/explore?schemaVersion=1&panes=%7B%22x1%22%3A%7B%22datasource%22%3A%22tempo%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22queryType%22%3A%22traceql%22%2C%22query%22%3A%22{ID}%22%7D%5D%7D%7D"
            ),
            format!("https://tools.example.com/spanscope/?backend=prod&trace={ID}&span=00f067aa0ba902b7"),
        ];
        for text in &cases {
            assert_eq!(find_trace_ids(text), vec![ID.to_string()], "{text}");
        }
    }

    #[test]
    fn short_ids_and_several_ids() {
        assert_eq!(find_trace_ids("X-B3-TraceId: 463ac35c9f6413ad"), ["463ac35c9f6413ad"]);
        assert_eq!(
            find_trace_ids(
                "trace_id=aaaaaaaaaaaaaaaa ... trace_id=bbbbbbbbbbbbbbbb trace_id=aaaaaaaaaaaaaaaa"
            ),
            ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]
        );
    }

    #[test]
    fn what_is_not_an_id_is_not_found() {
        for text in [
            "span_id=00f067aa0ba902b7",
            "trace_id=not-hex",
            "trace_id=abc",
            "the trace was slow",
            "b3: 1",
            "query=select",
            "2026-12-04 12-30-00",
            &format!("01-{ID}0-00f067aa0ba902b7-01"),
        ] {
            assert_eq!(find_trace_ids(text), Vec::<String>::new(), "{text}");
        }
    }
}
