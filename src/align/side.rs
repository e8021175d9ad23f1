//! The two sides of a document pair.

/// Which document of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The source (original) document.
    Source,
    /// The derived document.
    Derived,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Source => Side::Derived,
            Side::Derived => Side::Source,
        }
    }
}
