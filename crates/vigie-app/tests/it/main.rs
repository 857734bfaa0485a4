//! The application layer over a real store: what its use cases write and audit.

mod alerts;
mod reads;
