//! The eligo language server.
#![forbid(unsafe_code)]
