//! Which serde directions each type needs: what a request sends is serialized, what a
//! response returns is deserialized, and everything either contains inherits it. Types no
//! operation reaches get both, so nothing a user might want is missing.

use super::{BodyMedia, Directions, Input, Operation, Output, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub(super) fn mark(types: &mut [TypeDef], operations: &[Operation]) {
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, def)| (def.name.clone(), i)).collect();
    let inputs: Vec<TypeRef> = operations
        .iter()
        .filter_map(|operation| match &operation.input {
            Input::Params(name) => Some(TypeRef::Named(name.clone())),
            _ => None,
        })
        .collect();
    let mut serialize: Vec<&TypeRef> = inputs.iter().collect();
    let mut deserialize = Vec::new();
    for operation in operations {
        serialize.extend(operation.params.iter().map(|param| &param.ty));
        if let Some(body) = &operation.body {
            if !matches!(body.media, BodyMedia::Bytes(_)) {
                serialize.push(&body.ty);
            }
        }
        match &operation.output {
            Output::Json(ty) => deserialize.push(ty),
            Output::ByStatus(name) => {
                if let Some(TypeKind::ByStatus { variants }) = index.get(name).map(|&i| &types[i].kind) {
                    deserialize.extend(variants.iter().filter_map(|variant| match &variant.output {
                        Output::Json(ty) => Some(ty),
                        _ => None,
                    }));
                }
            }
            _ => {}
        }
    }
    let serialize = reachable(types, &index, serialize);
    let deserialize = reachable(types, &index, deserialize);
    for (position, def) in types.iter_mut().enumerate() {
        let used = serialize[position] || deserialize[position];
        def.directions =
            Directions { serialize: serialize[position] || !used, deserialize: deserialize[position] || !used };
    }
}

/// The types reachable from `roots` through fields, variants and aliases, without recursion.
fn reachable(types: &[TypeDef], index: &BTreeMap<String, usize>, roots: Vec<&TypeRef>) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut stack: Vec<usize> = roots.into_iter().flat_map(named).filter_map(|name| index.get(name).copied()).collect();
    while let Some(position) = stack.pop() {
        if std::mem::replace(&mut seen[position], true) {
            continue;
        }
        let inner = super::rules::contained(&types[position].kind);
        stack.extend(inner.into_iter().flat_map(named).filter_map(|name| index.get(name).copied()));
    }
    seen
}

/// The generated types a type mentions (through `Vec`, maps and boxes too).
fn named(ty: &TypeRef) -> Vec<&str> {
    match ty {
        TypeRef::Named(name) => vec![name.as_str()],
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => named(inner),
        _ => Vec::new(),
    }
}
