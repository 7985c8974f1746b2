//! Determinism: the same policies, facts and date give byte-identical output (being written).
