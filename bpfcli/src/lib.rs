//! What every command-line tool of the project shares: writing output files (never over an
//! input, never half-written) and choosing whether diagnostics are coloured.

pub mod color;
pub mod output;
