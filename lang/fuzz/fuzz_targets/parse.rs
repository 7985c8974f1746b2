#![no_main]
//! The `parse` target: see `eligo_fuzz::parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| eligo_fuzz::parse(data));
