//! `spanscope`: inspect and convert trace files from a terminal, generate test traces, and
//! benchmark the readers.

mod alloc;
mod bench;
mod commands;
mod diff;
mod input;
mod redaction;
mod safe_out;
mod serve;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE_HEAD: &str = "\
spanscope — read Jaeger, Zipkin (v1/v2) and OTLP trace JSON

USAGE:
  spanscope inspect [--json] FILE...        summarize each trace in each file
  spanscope analyze [--json] FILE...        where the time went: critical path, time per
                                            service and per operation
{DIFF}
  spanscope convert --to jaeger|otlp|zipkin [--redact RULES.json] [--redact-detected] FILE
                                            write the traces in another format (stdout);
                                            --redact: apply the rules ([{key, value, action}]);
                                            --redact-detected: mask what `scan` finds
{SCAN}
  spanscope generate --spans N [--format jaeger|otlp|zipkin] [--seed S] [--traces T]
                    [--same-request]        write a realistic synthetic trace (stdout);
                                            --same-request: T timings of one request
  spanscope bench [--sizes 10000,100000,1000000] [--dir DIR] [--runs N]
                [--shapes | --realistic]    generate traces and measure reading speed
                                            (--shapes: hostile shapes beside an ordinary trace;
                                            --realistic: production-like traces in each format)
{SERVE}

FILE may be '-' for standard input.";

fn usage() -> String {
    USAGE_HEAD
        .replace("{SERVE}", serve::USAGE)
        .replace("{DIFF}", diff::USAGE)
        .replace("{SCAN}", redaction::USAGE)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("inspect") => commands::inspect(&args[1..]),
        Some("analyze") => commands::analyze(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("convert") => commands::convert(&args[1..]),
        Some("scan") => redaction::scan(&args[1..]),
        Some("generate") => commands::generate(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("serve") => serve::run(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{}", usage());
            Ok(())
        }
        _ => Err(format!("expected a command\n\n{}", usage())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Messages quote trace text and server answers: no raw control characters.
            eprintln!("spanscope: {}", spanscope_core::text::terminal_safe_lines(&message));
            ExitCode::FAILURE
        }
    }
}
