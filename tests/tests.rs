//! All integration tests, compiled into one binary (one link step).

mod support;

mod project;
mod protocol;
