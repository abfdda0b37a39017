//! `--gc-sections`: drop static subprograms that nothing reaches.

use crate::input::Object;

/// Remove unreferenced static functions from `.text` of one object, rewriting everything
/// that points into the section.
pub fn collect(_obj: &mut Object) {}
