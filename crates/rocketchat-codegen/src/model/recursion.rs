//! Checks over the finished types: aliases that only name each other, and fields that would
//! make a type contain itself.

use super::{TypeDef, TypeKind, TypeRef};
use crate::error::{Error, Location};
use std::collections::{BTreeMap, BTreeSet};

/// `A: {$ref: B}` with `B: {$ref: A}` names no type at all.
pub(super) fn check_aliases(types: &[TypeDef], file: &str) -> Result<(), Error> {
    let aliases: BTreeMap<&str, &str> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Alias(TypeRef::Named(target)) => Some((def.name.as_str(), target.as_str())),
            _ => None,
        })
        .collect();
    for start in aliases.keys() {
        let mut chain = vec![*start];
        let mut current = *start;
        while let Some(next) = aliases.get(current) {
            if chain.contains(next) {
                chain.push(next);
                return Err(Error::Invalid {
                    location: Location { file: file.to_owned(), pointer: "/components/schemas".into(), line: None },
                    message: format!(
                        "the schemas {} only refer to each other (a `$ref` cycle with no type in between); give one of them properties",
                        chain.join(" -> ")
                    ),
                });
            }
            chain.push(next);
            current = next;
        }
    }
    Ok(())
}

/// Boxes every field and variant that holds, by value, a type which holds it back: without
/// the box the type would be infinitely large. `Vec` and maps already hold by reference.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> =
        types.iter().map(|def| (def.name.clone(), by_value_targets(&def.kind))).collect();
    let reaches = |from: &str, to: &str| {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if name == to {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        let slots: Vec<&mut TypeRef> = match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields.iter_mut().map(|field| &mut field.ty).collect(),
            TypeKind::OneKeyOf { variants } | TypeKind::Untagged { variants } => {
                variants.iter_mut().map(|variant| &mut variant.ty).collect()
            }
            _ => Vec::new(),
        };
        for slot in slots {
            if let TypeRef::Named(target) = slot {
                if reaches(target, &owner) {
                    *slot = TypeRef::Boxed(Box::new(slot.clone()));
                }
            }
        }
    }
}

fn by_value_targets(kind: &TypeKind) -> BTreeSet<String> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => Some(name.clone()),
        _ => None,
    };
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|field| named(&field.ty)).collect(),
        TypeKind::OneKeyOf { variants } | TypeKind::Untagged { variants } => {
            variants.iter().filter_map(|variant| named(&variant.ty)).collect()
        }
        TypeKind::Alias(target) => named(target).into_iter().collect(),
        TypeKind::StringEnum { .. } | TypeKind::ByStatus { .. } => BTreeSet::new(),
    }
}
