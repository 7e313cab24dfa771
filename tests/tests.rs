//! All integration tests, compiled into one binary (one link step).

mod support;

mod docs;
mod emulator;
mod examples;
mod project;
mod protocol;
