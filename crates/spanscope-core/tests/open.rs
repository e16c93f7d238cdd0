//! `open`: one way in for any input, saying what it holds.

mod common;

use common::refdata;
use spanscope_core::{open, Opened, ReadError};

#[test]
fn says_what_an_input_holds() {
    let links = std::fs::read(refdata("jaeger/large.json")).unwrap();
    match open(&links).unwrap() {
        Opened::DependencyLinks(l) => assert_eq!(l.len(), 4271),
        other => panic!("{other:?}"),
    }
    // Jaeger's /api/dependencies answer: the links inside the query envelope.
    let answer = br#"{"data":[{"parent":"frontend","child":"driver","callCount":12}],"total":1,"limit":0,"offset":0,"errors":null}"#;
    match open(answer).unwrap() {
        Opened::DependencyLinks(l) => {
            assert_eq!(
                (l[0].parent.as_str(), l[0].child.as_str(), l[0].calls),
                ("frontend", "driver", 12)
            )
        }
        other => panic!("{other:?}"),
    }
    let trace = std::fs::read(refdata("jaeger/ui_01.json")).unwrap();
    match open(&trace).unwrap() {
        Opened::Traces(set) => assert_eq!(set.traces[0].spans.len(), 5),
        other => panic!("{other:?}"),
    }
    // Still the envelope's own messages when it holds neither.
    let err = open(br#"{"data":[],"errors":[{"code":500,"msg":"storage down"}]}"#).unwrap_err();
    assert!(err.to_string().contains("storage down"), "{err}");
}

#[test]
fn gzip_is_named_not_misread() {
    let gz = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(open(&gz).unwrap_err(), ReadError::Compressed);
    assert!(ReadError::Compressed.to_string().contains("gzip-compressed"));
}
