//! A read trace set handed from the reader worker to the page as one transferred
//! `ArrayBuffer`: the model's flat arrays copied as they lie in memory (both sides run the
//! same wasm module, so every layout is the same), after a directory of their byte lengths.
//! Nothing is serialized field by field: the page copies each array once into its own memory.

use std::marker::PhantomData;
use std::sync::Arc;

use js_sys::Uint8Array;
use spanscope_core::intern::Interner;
use spanscope_core::{Trace, TraceSet};

/// Arrays are placed at multiples of 8 bytes, so each can be viewed with its own alignment.
const ALIGN: usize = 8;

/// The arrays of a set, in the order [`unpack`] takes them; `finish` copies them into one
/// buffer. Borrows the set, so nothing is copied before that.
struct Packer<'a> {
    parts: Vec<(*const u8, usize)>,
    /// Strings joined for sending: each buffer's heap block stays put while this grows.
    joined: Vec<Vec<u8>>,
    borrowed: PhantomData<&'a TraceSet>,
}

impl<'a> Packer<'a> {
    fn put<T>(&mut self, items: &'a [T]) {
        self.parts.push((items.as_ptr().cast(), std::mem::size_of_val(items)));
    }

    /// Strings as their lengths and their bytes joined.
    fn put_strs<'s>(&mut self, strs: impl Iterator<Item = &'s str>) {
        let (mut lens, mut bytes) = (Vec::<u32>::new(), Vec::<u8>::new());
        for s in strs {
            lens.push(s.len() as u32);
            bytes.extend_from_slice(s.as_bytes());
        }
        self.put_owned(lens.iter().flat_map(|l| l.to_le_bytes()).collect());
        self.put_owned(bytes);
    }

    fn put_owned(&mut self, owned: Vec<u8>) {
        self.parts.push((owned.as_ptr(), owned.len()));
        self.joined.push(owned);
    }

    /// One buffer: the part count, each part's byte length, then the parts, each aligned.
    fn finish(self) -> Uint8Array {
        let head = 4 * (1 + self.parts.len());
        let total = self.parts.iter().fold(head, |at, (_, len)| aligned(at) + len);
        let out = Uint8Array::new_with_length(total as u32);
        let mut directory = vec![self.parts.len() as u32];
        directory.extend(self.parts.iter().map(|(_, len)| *len as u32));
        let directory: Vec<u8> = directory.iter().flat_map(|n| n.to_le_bytes()).collect();
        out.set(&Uint8Array::from(&directory[..]).into(), 0);
        let mut at = head;
        for (ptr, len) in self.parts {
            at = aligned(at);
            // The engine copies straight out of wasm memory; Rust never reads the bytes (nor
            // the padding inside them). SAFETY: each part is a live borrow of the set, or a
            // buffer in `joined`, for `len` bytes.
            out.set(&unsafe { Uint8Array::view_mut_raw(ptr as *mut u8, len) }.into(), at as u32);
            at += len;
        }
        out
    }
}

fn aligned(at: usize) -> usize {
    at.div_ceil(ALIGN) * ALIGN
}

/// The set's traces and warnings in one buffer (the worker side).
pub fn pack(set: &TraceSet) -> Uint8Array {
    let mut p = Packer { parts: Vec::new(), joined: Vec::new(), borrowed: PhantomData };
    p.put_strs(set.warnings.iter().map(|w| w.as_str()));
    for t in &set.traces {
        p.put(std::slice::from_ref(&t.trace_id));
        p.put(std::slice::from_ref(&t.format));
        p.put(std::slice::from_ref(&t.stats));
        p.put_strs(t.strings.iter());
        p.put(&t.spans);
        p.put(&t.attrs);
        p.put(&t.events);
        p.put(&t.links);
        p.put(&t.resources);
        p.put(&t.scopes);
        p.put(&t.children);
        p.put(&t.roots);
        p.put(&t.preorder);
        p.put(&t.span_warnings);
        p.put(t.text.as_bytes());
        p.put_strs(t.warnings.iter().map(|w| w.as_str()));
        let ids: Vec<u64> = t.id_text.keys().copied().collect();
        p.put_owned(ids.iter().flat_map(|id| id.to_le_bytes()).collect());
        p.put_strs(ids.iter().map(|id| &*t.id_text[id]));
        p.put_strs(t.trace_id_text.as_deref().into_iter());
    }
    p.finish()
}

/// Reads a [`pack`]ed buffer back into this side's memory.
struct Unpacker {
    buffer: Uint8Array,
    lens: Vec<u32>,
    next: usize,
    at: u32,
}

impl Unpacker {
    fn new(buffer: Uint8Array) -> Option<Unpacker> {
        if buffer.length() < 4 {
            return None;
        }
        let word = |i: u32| {
            let mut b = [0u8; 4];
            buffer.subarray(4 * i, 4 * i + 4).copy_to(&mut b);
            u32::from_le_bytes(b)
        };
        let count = word(0);
        if buffer.length() < 4 * (1 + count) {
            return None;
        }
        let lens = (1..=count).map(word).collect();
        Some(Unpacker { lens, next: 0, at: 4 * (1 + count), buffer })
    }

    /// The next part as a `Vec<T>`; empty when the buffer holds no such part.
    fn take<T>(&mut self) -> Vec<T> {
        let bytes = self.lens.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        self.at = aligned(self.at as usize) as u32;
        let count = bytes as usize / std::mem::size_of::<T>();
        let mut items = Vec::<T>::with_capacity(count);
        if count > 0 {
            let from = self.at;
            let len = count * std::mem::size_of::<T>();
            // One copy by the engine, out of the buffer into this memory. SAFETY: `items`
            // has room for `count` items, and nothing allocates while the view lives; the
            // worker's copy of this very module laid them out: the same type, layout and
            // valid values.
            unsafe {
                Uint8Array::view_mut_raw(items.as_mut_ptr().cast(), len)
                    .set(&self.buffer.subarray(from, from + len as u32).into(), 0);
                items.set_len(count);
            }
        }
        self.at += bytes;
        items
    }

    fn take_strs(&mut self) -> Vec<String> {
        let lens: Vec<u32> = self.take();
        let joined = String::from_utf8(self.take()).unwrap_or_default();
        let mut at = 0;
        lens.iter()
            .map(|&len| {
                let s = joined.get(at..at + len as usize).unwrap_or_default().to_string();
                at += len as usize;
                s
            })
            .collect()
    }
}

/// The set [`pack`] packed (the page side); `None` if the buffer is not one.
pub fn unpack(buffer: Uint8Array) -> Option<TraceSet> {
    let mut u = Unpacker::new(buffer)?;
    let warnings = u.take_strs();
    let mut traces = Vec::new();
    while u.next < u.lens.len() {
        let trace_id: Vec<spanscope_core::ids::TraceId> = u.take();
        let format: Vec<spanscope_core::Format> = u.take();
        let stats: Vec<spanscope_core::model::TraceStats> = u.take();
        let strings = u.take_strs();
        let mut trace = Trace {
            trace_id: *first(&trace_id)?,
            format: *first(&format)?,
            stats: first(&stats)?.clone(),
            strings: Arc::new(Interner::from_strings(strings.iter().map(|s| s.as_str()))),
            spans: u.take(),
            attrs: u.take(),
            events: u.take(),
            links: u.take(),
            resources: u.take(),
            scopes: u.take(),
            children: u.take(),
            roots: u.take(),
            preorder: u.take(),
            span_warnings: u.take(),
            text: Arc::new(String::from_utf8(u.take()).ok()?),
            warnings: u.take_strs(),
            id_text: Default::default(),
            trace_id_text: None,
        };
        let ids: Vec<u64> = u.take();
        let texts = u.take_strs();
        trace.id_text = ids.into_iter().zip(texts.into_iter().map(Into::into)).collect();
        trace.trace_id_text = u.take_strs().pop().map(Into::into);
        traces.push(trace);
    }
    Some(TraceSet { traces, warnings })
}

fn first<T>(items: &[T]) -> Option<&T> {
    items.first()
}
