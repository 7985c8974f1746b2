//! The outcome ids of two selections matched by id: those in both versions are compared, the
//! others are listed as added (head only) or removed (base only).

use crate::model::{Program, Ty};

/// An outcome id in both selections.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The id.
    pub id: String,
    /// Position in the base selection.
    pub base: usize,
    /// Position in the head selection.
    pub head: usize,
    /// The type, when both versions agree on it.
    pub same_type: bool,
    /// Values may be compared directly, without writing them: the same type, and no enum in it
    /// whose variants could be numbered differently in the two versions.
    pub by_value: bool,
    /// A number (`Int`, `Decimal`, `Money`, `Percent`, `Days`, `Months`) in both versions.
    pub numeric: bool,
}

/// The ids of both selections, matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairing {
    /// In both, in id order.
    pub common: Vec<Pair>,
    /// In the head only.
    pub added: Vec<String>,
    /// In the base only.
    pub removed: Vec<String>,
}

impl Pairing {
    /// Matches the selected outcomes (indices into each program's outcomes, in id order).
    /// `same_policies`: both programs are one, so enums number their variants alike.
    pub fn new(
        base: &Program,
        base_selected: &[usize],
        head: &Program,
        head_selected: &[usize],
        same_policies: bool,
    ) -> Pairing {
        let mut out = Pairing::default();
        let (mut i, mut j) = (0, 0);
        while i < base_selected.len() || j < head_selected.len() {
            let b = base_selected.get(i).map(|&k| &base.outcomes[k]);
            let h = head_selected.get(j).map(|&k| &head.outcomes[k]);
            match (b, h) {
                (Some(b), Some(h)) if b.id == h.id => {
                    let same_type = b.ty == h.ty;
                    out.common.push(Pair {
                        id: b.id.clone(),
                        base: i,
                        head: j,
                        same_type,
                        by_value: same_type && (same_policies || !has_enum(&b.ty)),
                        numeric: is_number(&b.ty) && is_number(&h.ty),
                    });
                    i += 1;
                    j += 1;
                }
                (Some(b), Some(h)) if b.id < h.id => {
                    out.removed.push(b.id.clone());
                    i += 1;
                }
                (Some(b), None) => {
                    out.removed.push(b.id.clone());
                    i += 1;
                }
                (_, Some(h)) => {
                    out.added.push(h.id.clone());
                    j += 1;
                }
                (None, None) => break,
            }
        }
        out
    }
}

fn has_enum(ty: &Ty) -> bool {
    match ty {
        Ty::Enum(..) => true,
        Ty::List(t) | Ty::Opt(t) => has_enum(t),
        Ty::Record(r) => r.fields.iter().any(|f| has_enum(&f.ty)),
        _ => false,
    }
}

fn is_number(ty: &Ty) -> bool {
    matches!(
        ty.strip_opt(),
        Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent | Ty::Days | Ty::Months
    )
}
