//! A global allocator wrapper that counts live and peak heap bytes, so `bench` can report the
//! reader's peak memory without an external profiler.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Blocks from this size up come from the system allocator: glibc serves them with `mmap`
/// and grows them with `mremap`, which moves no bytes, where mimalloc copies a growing
/// array into fresh pages (which the kernel zeroes first). Small blocks stay with mimalloc.
const LARGE: usize = 4 << 20;

fn is_large(size: usize) -> bool {
    size >= LARGE
}

unsafe fn alloc_in(layout: Layout) -> *mut u8 {
    if is_large(layout.size()) {
        System.alloc(layout)
    } else {
        MiMalloc.alloc(layout)
    }
}

unsafe fn dealloc_in(ptr: *mut u8, layout: Layout) {
    if is_large(layout.size()) {
        System.dealloc(ptr, layout)
    } else {
        MiMalloc.dealloc(ptr, layout)
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = alloc_in(layout);
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        dealloc_in(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = match (is_large(layout.size()), is_large(new_size)) {
            (false, false) => MiMalloc.realloc(ptr, layout, new_size),
            (true, true) => System.realloc(ptr, layout, new_size),
            // Crossing the line: a block from the other allocator, then the old one goes.
            _ => {
                let p = alloc_in(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !p.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                    dealloc_in(ptr, layout);
                }
                p
            }
        };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Starts a new peak measurement from the current live size.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}
