#![no_main]
//! The `check` target: see `eligo_fuzz::check`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| eligo_fuzz::check(data));
