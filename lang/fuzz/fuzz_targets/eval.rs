#![no_main]
//! The `eval` target: see `eligo_fuzz::eval`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| eligo_fuzz::eval(data));
