//! The abstract domain: tnums, scalar ranges, registers, stack slots and verifier states.

pub mod scalar;
pub mod state;
pub mod tnum;

pub use scalar::Scalar;
pub use state::{Frame, Reg, RegType, SlotByte, State, MAX_BPF_STACK};
pub use tnum::Tnum;
