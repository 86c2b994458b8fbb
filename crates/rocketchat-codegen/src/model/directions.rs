//! Which serde directions each type needs: what a request sends is serialized, what a
//! response returns is deserialized, and everything either contains inherits it. Types no
//! operation reaches get both, so nothing a user might want is missing.

use super::{Api, BodyMedia, Directions, Input, Output, TypeDef, TypeId};

pub(super) fn mark(api: &mut Api) {
    let mut serialize = Vec::new();
    let mut deserialize = Vec::new();
    for operation in &api.operations {
        if let Input::Params(id) = operation.input {
            serialize.push(id);
        }
        serialize.extend(operation.params.iter().filter_map(|param| param.ty.innermost()));
        if let Some(body) = &operation.body
            && !matches!(body.media, BodyMedia::Bytes(_))
        {
            serialize.extend(body.ty.innermost());
        }
        match &operation.output {
            Output::Json(ty) => deserialize.extend(ty.innermost()),
            Output::ByStatus(id) => deserialize.push(*id),
            _ => {}
        }
    }
    let serialize = reachable(&api.types, serialize);
    let deserialize = reachable(&api.types, deserialize);
    for (position, def) in api.types.iter_mut().enumerate() {
        let used = serialize[position] || deserialize[position];
        def.directions =
            Directions { serialize: serialize[position] || !used, deserialize: deserialize[position] || !used };
    }
}

/// The types reachable from `roots` through what they hold, without recursion.
pub(super) fn reachable(types: &[TypeDef], roots: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.index()], true) {
            continue;
        }
        stack.extend(types[id.index()].kind.slots().iter().filter_map(|slot| slot.ty.innermost()));
    }
    seen
}
