//! Getting a file's bytes without copying: large files are memory-mapped, so reading a 1 GB
//! trace costs the model's memory, not another gigabyte of buffer.

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
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(Input::Owned(buf));
    }
    let file = File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("cannot read {path}: {e}"))?.len();
    if len == 0 {
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
