//! Getting a file's bytes without copying: large files are memory-mapped, so reading a 1 GB
//! trace costs the model's memory, not another gigabyte of buffer. Pipes and standard input
//! (`-`, `<(cmd)`, `/dev/fd/N`) are read to their end; gzip is decompressed, whatever the
//! file is called.

use std::fs::File;
use std::io::Read;

pub enum Input {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Owned(v) => v,
        }
    }
}

pub fn open(path: &str) -> Result<Input, String> {
    let raw = open_raw(path)?;
    if !spanscope_core::read::is_gzip(&raw) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|e| format!("{path}: gzip data is damaged: {e}"))?;
    Ok(Input::Owned(out))
}

fn open_raw(path: &str) -> Result<Input, String> {
    if path == "-" {
        return read_to_end(std::io::stdin(), "standard input");
    }
    let file = File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read {path}: {e}"))?;
    // A pipe or device reports no length: read what arrives.
    if !meta.is_file() {
        return read_to_end(file, path);
    }
    if meta.len() == 0 {
        return Ok(Input::Owned(Vec::new()));
    }
    // SAFETY: the map is read-only and dropped before returning from the command; a file
    // truncated by another process meanwhile is the same hazard every mmap reader accepts.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => Ok(Input::Mapped(map)),
        Err(_) => {
            std::fs::read(path).map(Input::Owned).map_err(|e| format!("cannot read {path}: {e}"))
        }
    }
}

fn read_to_end(mut from: impl Read, name: &str) -> Result<Input, String> {
    let mut buf = Vec::new();
    from.read_to_end(&mut buf).map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(Input::Owned(buf))
}
