#![no_main]
//! The `facts` target: see `eligo_fuzz::facts`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| eligo_fuzz::facts(data));
