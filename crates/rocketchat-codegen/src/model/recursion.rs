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
                    location: Location {
                        file: file.to_owned(),
                        pointer: "/components/schemas".into(),
                        line: None,
                        column: None,
                    },
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

/// A type whose every value must hold another value of itself (through required fields,
/// flattened parts or aliases) has no finite value: `Me: {allOf: [$ref: Me]}`, or two
/// schemas that each require the other. Enums are finite if one variant is, so they are not
/// followed.
pub(super) fn check_constructible(types: &[TypeDef], file: &str) -> Result<(), Error> {
    let index: BTreeMap<&str, usize> = types.iter().enumerate().map(|(i, def)| (def.name.as_str(), i)).collect();
    let required = |kind: &TypeKind| -> Vec<String> {
        match kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter(|field| !field.optional && !field.nullable)
                .filter_map(|field| match &field.ty {
                    TypeRef::Named(name) => Some(name.clone()),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(name)) => vec![name.clone()],
            _ => Vec::new(),
        }
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| required(&def.kind).iter().filter_map(|name| index.get(name.as_str()).copied()).collect())
        .collect();
    let component = strongly_connected_components(&edges);
    let mut sizes = vec![0usize; types.len()];
    component.iter().for_each(|&id| sizes[id] += 1);
    let stuck = (0..types.len()).find(|&node| sizes[component[node]] > 1 || edges[node].contains(&node));
    let Some(node) = stuck else { return Ok(()) };
    let cycle: Vec<String> = (0..types.len())
        .filter(|other| component[*other] == component[node])
        .map(|other| format!("`{}`", types[other].name))
        .collect();
    let subject = match cycle.as_slice() {
        [one] => format!("the schema {one} requires a value of itself"),
        many => format!("the schemas {} each require a value of one another", many.join(", ")),
    };
    Err(Error::Invalid {
        location: Location { file: file.to_owned(), pointer: "/components/schemas".into(), line: None, column: None },
        message: format!("{subject}, so no finite value exists; make one of the references optional"),
    })
}

/// Boxes every field and variant that holds, by value, a type which holds it back: without
/// the box the type would be infinitely large. `Vec` and maps already hold by reference.
/// "Holds it back" is "is in the same strongly connected component" of the by-value graph,
/// found in linear time, so long chains of references stay cheap.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let names: Vec<&str> = types.iter().map(|def| def.name.as_str()).collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, name)| (*name, i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            by_value_targets(&def.kind).iter().filter_map(|target| index.get(target.as_str()).copied()).collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let component_of: BTreeMap<String, usize> =
        names.iter().enumerate().map(|(i, name)| ((*name).to_owned(), component[i])).collect();
    for (owner, def) in types.iter_mut().enumerate() {
        let slots: Vec<&mut TypeRef> = match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields.iter_mut().map(|field| &mut field.ty).collect(),
            TypeKind::OneKeyOf { variants } | TypeKind::Untagged { variants } => {
                variants.iter_mut().map(|variant| &mut variant.ty).collect()
            }
            _ => Vec::new(),
        };
        for slot in slots {
            if let TypeRef::Named(target) = slot {
                if component_of.get(target.as_str()) == Some(&component[owner]) {
                    *slot = TypeRef::Boxed(Box::new(slot.clone()));
                }
            }
        }
    }
}

/// Kosaraju's algorithm, without recursion: the component number of each node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    let count = edges.len();
    let mut order = Vec::with_capacity(count);
    let mut visited = vec![false; count];
    for start in 0..count {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&target) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[target] {
                    visited[target] = true;
                    stack.push((target, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); count];
    for (node, targets) in edges.iter().enumerate() {
        for &target in targets {
            reverse[target].push(node);
        }
    }
    let mut component = vec![usize::MAX; count];
    let mut current = 0;
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        component[start] = current;
        while let Some(node) = stack.pop() {
            for &source in &reverse[node] {
                if component[source] == usize::MAX {
                    component[source] = current;
                    stack.push(source);
                }
            }
        }
        current += 1;
    }
    component
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
