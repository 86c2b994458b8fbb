//! Checks over the finished types: aliases that only name each other, and fields that would
//! make a type contain itself. Errors name the schemas as the spec does and point at the first.

use super::{TypeDef, TypeKind};
use crate::error::{Error, Location};

/// `A: {$ref: B}` with `B: {$ref: A}` names no type at all.
pub(super) fn check_aliases(types: &[TypeDef], file: &str) -> Result<(), Error> {
    let alias_of = |index: usize| match &types[index].kind {
        TypeKind::Alias(target) => target.by_value().map(|id| id.index()),
        _ => None,
    };
    for start in 0..types.len() {
        let mut chain = vec![start];
        let mut current = start;
        while let Some(next) = alias_of(current) {
            if chain.contains(&next) {
                chain.push(next);
                let names: Vec<&str> = chain.iter().map(|&index| spec_name(&types[index])).collect();
                let message = format!(
                    "the schemas {} only refer to each other (a `$ref` cycle with no type in between); give one of them properties",
                    names.join(" -> ")
                );
                return Err(invalid(&types[start], file, message));
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
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let always = def.kind.slots().into_iter().filter(|slot| slot.always);
            always.filter_map(|slot| slot.ty.by_value()).map(|id| id.index()).collect()
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let mut sizes = vec![0usize; types.len()];
    component.iter().for_each(|&id| sizes[id] += 1);
    let stuck = (0..types.len()).find(|&node| sizes[component[node]] > 1 || edges[node].contains(&node));
    let Some(node) = stuck else { return Ok(()) };
    let cycle: Vec<String> = (0..types.len())
        .filter(|other| component[*other] == component[node])
        .map(|other| format!("`{}`", spec_name(&types[other])))
        .collect();
    let subject = match cycle.as_slice() {
        [one] => format!("the schema {one} requires a value of itself"),
        many => format!("the schemas {} each require a value of one another", many.join(", ")),
    };
    let message = format!("{subject}, so no finite value exists; make one of the references optional");
    Err(invalid(&types[node], file, message))
}

fn spec_name(def: &TypeDef) -> &str {
    def.origin.spec_name(&def.name)
}

fn invalid(def: &TypeDef, file: &str, message: String) -> Error {
    let location = Location { file: file.to_owned(), pointer: def.origin.pointer.clone(), line: None, column: None };
    Error::Invalid { location, message }
}

/// Boxes every field and variant that holds, by value, a type which holds it back: without
/// the box the type would be infinitely large. `Vec` and maps already hold by reference.
/// "Holds it back" is "is in the same strongly connected component" of the by-value graph,
/// found in linear time, so long chains of references stay cheap.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| def.kind.slots().iter().filter_map(|slot| slot.ty.by_value()).map(|id| id.index()).collect())
        .collect();
    let component = strongly_connected_components(&edges);
    for (owner, def) in types.iter_mut().enumerate() {
        // An alias is only another name: the field that holds it gets the box.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for slot in def.kind.slots_mut() {
            if slot.by_value().is_some_and(|target| component[target.index()] == component[owner]) {
                *slot = super::TypeRef::Boxed(Box::new(slot.clone()));
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
