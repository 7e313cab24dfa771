//! What the console client takes from a server: answer bodies of every
//! kind, error envelopes, rate and retry headers, page tokens.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    terraform_provider_ory::console::fuzzing::server_answer(data);
});
