//! `cargo fuzz run compare`: see fuzz/src/checks.rs.
#![no_main]

include!("../src/checks.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| compare(data));
