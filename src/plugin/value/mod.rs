//! cty values and types: what Terraform's values are, and their three wire
//! forms (msgpack `DynamicValue`s, JSON stored state, JSON type constraints).
//!
//! A [`Value`] carries no type of its own; it is always encoded and decoded
//! against a [`Type`] (the schema's implied type), as Terraform does. The
//! only exception is `dynamic`, whose concrete type travels with the value.

mod cty;
mod json;
mod msgpack;

pub use cty::{DecodeError, Type, Value};

#[cfg(test)]
mod tests;
