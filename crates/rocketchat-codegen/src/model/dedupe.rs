//! Structurally identical inline schemas, defined once. Specs repeat the same object inline
//! in operation after operation (rooms.yaml writes a room's last message out 79 times); each
//! copy would otherwise be a type of its own, named after the whole path that reached it.
//!
//! Two steps. Copies (types of one shape whose names end alike, see `concept`) nested in
//! what operations take or return are merged into one type under the name they share. Any
//! other group of one shape (each operation's own request or response, one shape under two
//! names) keeps every name, as aliases of one definition (`alias_the_rest`): a call never
//! takes a type named after another operation. Components stay as they are: the spec named
//! them.

use super::{Api, Input, Output, TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// A shape's hash, to find the types that may equal it; equality itself is checked in full.
fn hash_of(shape: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    shape.hash(&mut hasher);
    hasher.finish()
}

pub(super) fn merge_identical(api: &mut Api) {
    let mergeable = mergeable(api);
    // The names of the types merged into each type, its own first.
    let mut merged: Vec<Vec<String>> = api.types.iter().map(|def| vec![def.name.clone()]).collect();
    let mut removed = vec![false; api.types.len()];
    // Copies of one schema share the last word of their names (`…LastMessage`); two schemas
    // of one shape under other names (`…Unreads`, `…PrivateGroups`, both `true` or `false`)
    // are different things, and stay apart.
    fn shape(def: &TypeDef) -> (&Option<String>, &TypeKind, &str) {
        (&def.doc, &def.kind, concept(&def.name))
    }
    let mut hashes: Vec<Option<u64>> =
        api.types.iter().enumerate().map(|(index, def)| mergeable[index].then(|| hash_of(shape(def)))).collect();
    // Each round merges types equal once their parts are merged, so nested copies merge from
    // the leaves up; it ends when a round finds nothing. Only the types that held a merged
    // type have a new shape to work out.
    loop {
        let mut first_of_shape: HashMap<u64, Vec<TypeId>> = HashMap::new();
        let mut replacement: Vec<Option<TypeId>> = vec![None; api.types.len()];
        for (index, hash) in hashes.iter().enumerate() {
            let Some(hash) = hash.filter(|_| !removed[index]) else { continue };
            let firsts = first_of_shape.entry(hash).or_default();
            match firsts.iter().find(|first| shape(&api.types[first.0]) == shape(&api.types[index])) {
                Some(first) => replacement[index] = Some(*first),
                None => firsts.push(TypeId(index)),
            }
        }
        if replacement.iter().all(Option::is_none) {
            break;
        }
        for (index, kept) in replacement.iter().enumerate() {
            if let Some(kept) = kept {
                removed[index] = true;
                let names = std::mem::take(&mut merged[index]);
                merged[kept.0].extend(names);
            }
        }
        api.for_each_id_mut(|id| {
            if let Some(kept) = replacement[id.0] {
                *id = kept;
            }
        });
        let kept: HashSet<TypeId> = replacement.iter().flatten().copied().collect();
        for (index, def) in api.types.iter().enumerate() {
            let holds_kept =
                def.kind.slots().iter().any(|slot| slot.ty.innermost().is_some_and(|id| kept.contains(&id)));
            if holds_kept && hashes[index].is_some() {
                hashes[index] = Some(hash_of(shape(def)));
            }
        }
    }
    name_merged(api, &merged, &removed);
    remove(api, &removed);
    alias_the_rest(api);
}

/// What stays apart by name (each operation's own request or response, one shape under two
/// names) is still defined once: one definition, and each name an alias of it, so users keep
/// the names and the compiler checks one type. When the names share only a word the
/// generator adds (`…Response`), the definition is named after its fields
/// (`SuccessResponse` for the 52 `{success}` responses of rooms.yaml), a small enum after its
/// values.
fn alias_the_rest(api: &mut Api) {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut groups_of_shape: HashMap<u64, Vec<usize>> = HashMap::new();
    fn shape(def: &TypeDef) -> (&Option<String>, &TypeKind) {
        (&def.doc, &def.kind)
    }
    for (index, def) in api.types.iter().enumerate() {
        let inline = def.origin.component.is_none() && index != api.error_type.0;
        if !inline || matches!(def.kind, TypeKind::Alias(_) | TypeKind::ByStatus { .. }) {
            continue;
        }
        let candidates = groups_of_shape.entry(hash_of(shape(def))).or_default();
        match candidates.iter().find(|&&group| shape(&api.types[groups[group][0]]) == shape(def)) {
            Some(&group) => groups[group].push(index),
            None => {
                candidates.push(groups.len());
                groups.push(vec![index]);
            }
        }
    }
    let mut taken: HashSet<String> = api.types.iter().map(|def| def.name.clone()).collect();
    for group in groups.into_iter().filter(|group| group.len() > 1) {
        let names: Vec<String> = group.iter().map(|&index| api.types[index].name.clone()).collect();
        let definition = match neutral_name(&names, &api.types[group[0]].kind).filter(|name| !taken.contains(name)) {
            Some(name) => {
                taken.insert(name.clone());
                let mut shared = api.types[group[0]].clone();
                shared.name = name;
                api.types.push(shared);
                TypeId(api.types.len() - 1)
            }
            None => TypeId(group[0]),
        };
        for index in group.into_iter().filter(|&index| index != definition.0) {
            api.types[index].kind = TypeKind::Alias(TypeRef::Named(definition));
        }
    }
}

/// `SuccessResponse`: the fields of a small struct, then the word all the names end with,
/// when that word is one the generator adds and says nothing else; `TrueOrFalse`: the values
/// of a small string enum.
fn neutral_name(names: &[String], kind: &TypeKind) -> Option<String> {
    // A few values say what an enum is: `TrueOrFalse`.
    let values: Option<Vec<&str>> = match kind {
        TypeKind::StringEnum { variants } => Some(variants.iter().map(|variant| variant.name.as_str()).collect()),
        TypeKind::IntegerEnum { variants } => Some(variants.iter().map(|variant| variant.name.as_str()).collect()),
        _ => None,
    };
    if let Some(values) = values {
        return (1..=3).contains(&values.len()).then(|| values.join("Or"));
    }
    let TypeKind::Struct { fields, .. } = kind else { return None };
    let last = |name: &str| words(name).last().copied().unwrap_or_default().to_owned();
    let ending = last(&names[0]);
    if !names.iter().all(|name| last(name) == ending) || !is_generic(&ending) || ending.is_empty() {
        return None;
    }
    let wires: Option<Vec<&str>> = fields.iter().map(|field| field.wire.as_deref()).collect();
    let wires = wires.filter(|wires| (1..=3).contains(&wires.len()))?;
    let name: String = wires.iter().map(|wire| crate::naming::camel(wire)).collect();
    Some(format!("{name}{ending}"))
}

/// The nested inline types: not components, and not what an operation takes or returns.
fn mergeable(api: &Api) -> Vec<bool> {
    let mut mergeable: Vec<bool> = api.types.iter().map(|def| def.origin.component.is_none()).collect();
    mergeable[api.error_type.0] = false;
    for operation in &api.operations {
        let taken_or_returned = [
            operation.body.as_ref().and_then(|body| body.ty.innermost()),
            match operation.input {
                Input::Params(id) => Some(id),
                _ => None,
            },
            match &operation.output {
                Output::Json(ty) => ty.innermost(),
                Output::ByStatus(id) => Some(*id),
                _ => None,
            },
        ];
        for id in taken_or_returned.into_iter().flatten() {
            mergeable[id.0] = false;
        }
    }
    mergeable
}

/// A type that stands for several gets the name they end with, when that says what it is
/// (`LastMessage` for `…RoomsGetResponseUpdateItemLastMessage` and its copies). The types
/// nested in a renamed one, named after its old name, follow it (`…ItemLastMessageMd`
/// becomes `LastMessageMd`). Any other keeps the shortest of its names.
fn name_merged(api: &mut Api, merged: &[Vec<String>], removed: &[bool]) {
    let live = |index: &usize| !removed[*index];
    let mut taken: HashSet<String> = (0..api.types.len()).filter(live).map(|i| api.types[i].name.clone()).collect();
    // Old name -> new name, of every name a merged type had.
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let mut by_suffix = vec![false; api.types.len()];
    for index in (0..api.types.len()).filter(live) {
        let names = &merged[index];
        let Some(name) = common_suffix(names).filter(|name| names.len() > 1 && !taken.contains(name)) else {
            continue;
        };
        taken.insert(name.clone());
        renamed.extend(names.iter().map(|old| (old.as_str(), name.clone())));
        api.types[index].name = name;
        by_suffix[index] = true;
    }
    for index in (0..api.types.len()).filter(live) {
        if by_suffix[index] {
            continue;
        }
        // The longest renamed name this one starts with, word by word (a lookup per word, not
        // a scan of every renamed name: that was quadratic in large specs).
        let nested = merged[index].iter().filter_map(|name| {
            let starts = name.char_indices().filter(|(at, c)| *at > 0 && c.is_ascii_uppercase()).map(|(at, _)| at);
            let longest_first: Vec<usize> = starts.collect();
            longest_first
                .into_iter()
                .rev()
                .find_map(|at| renamed.get(&name[..at]).map(|new| format!("{new}{}", &name[at..])))
        });
        let shortest = merged[index].iter().min_by_key(|name| name.len()).cloned();
        let best = nested.filter(|name| !taken.contains(name)).min_by_key(String::len).or(shortest);
        if let Some(name) = best.filter(|name| *name != api.types[index].name) {
            taken.insert(name.clone());
            api.types[index].name = name;
        }
    }
}

/// The words all `names` end with, from the first that is not a word every path has
/// (`Item`, `Value`, `Response`...); `None` if nothing specific is left.
fn common_suffix(names: &[String]) -> Option<String> {
    let split: Vec<Vec<&str>> = names.iter().map(|name| words(name)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    while common < shortest {
        let word = split[0][split[0].len() - 1 - common];
        if !split.iter().all(|words| words[words.len() - 1 - common] == word) {
            break;
        }
        common += 1;
    }
    let suffix = &split[0][split[0].len() - common..];
    let specific = suffix.iter().position(|word| !is_generic(word))?;
    // A name that would start with a digit is no name.
    let suffix = &suffix[specific..];
    suffix.first().filter(|word| !word.starts_with(|c: char| c.is_ascii_digit()))?;
    Some(suffix.concat())
}

/// The last word of a name that says what the type is.
fn concept(name: &str) -> &str {
    words(name).into_iter().rev().find(|word| !is_generic(word)).unwrap_or_default()
}

/// Words the generator itself puts in names, which say where a type was found, not what
/// it is.
fn is_generic(word: &str) -> bool {
    let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(word, "Item" | "Value" | "Response" | "Request" | "Params" | "Part" | "Variant" | "Status" | "")
}

/// The words of an UpperCamelCase name: each starts at an upper-case letter.
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    words.push(&name[start..]);
    words
}

/// Drops the removed types and renumbers the references to the rest.
fn remove(api: &mut Api, removed: &[bool]) {
    let mut new_index = vec![0; removed.len()];
    let mut next = 0;
    for (index, removed) in removed.iter().enumerate() {
        new_index[index] = next;
        next += usize::from(!removed);
    }
    let mut index = 0;
    api.types.retain(|_| {
        index += 1;
        !removed[index - 1]
    });
    api.for_each_id_mut(|id| id.0 = new_index[id.0]);
}

#[cfg(test)]
mod tests {
    use super::common_suffix;

    #[test]
    fn merged_types_are_named_by_what_their_names_share() {
        let names = |list: &[&str]| list.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
        let last_message = names(&["GetRoomsResponseUpdateItemLastMessage", "GetChannelsResponseLastMessage"]);
        assert_eq!(common_suffix(&last_message).as_deref(), Some("LastMessage"));
        assert_eq!(common_suffix(&names(&["AResponseUser", "BResponseUser"])).as_deref(), Some("User"));
        assert_eq!(common_suffix(&names(&["AItem", "BItem"])), None);
        assert_eq!(common_suffix(&names(&["AVariant2", "BVariant2"])), None);
        assert_eq!(common_suffix(&names(&["Same", "Same"])).as_deref(), Some("Same"));
    }
}
