//! placeholder: replaced by the suite.
