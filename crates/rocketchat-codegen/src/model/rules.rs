//! The spec's validation keywords, and which types need checking before a request is sent.

use super::{Rule, Scalar, TypeDef, TypeKind};
use openapiv3::{Schema, SchemaKind, Type};

/// An integer `enum` whose values the spec names (`x-enum-varnames`): a type of its own
/// ([`TypeKind::IntegerEnum`]), whose values need no rule.
pub(super) fn is_named_integer_enum(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Integer(integer)) if integer.enumeration.iter().any(Option::is_some))
        && schema.schema_data.extensions.contains_key("x-enum-varnames")
}

/// The rules a schema states for its own value (not those of the types it refers to).
pub(super) fn of_schema(schema: &Schema) -> Vec<Rule> {
    if is_named_integer_enum(schema) {
        return Vec::new();
    }
    let mut rules = Vec::new();
    let mut bound = |rule: fn(f64, bool) -> Rule, value: Option<f64>, exclusive: bool| {
        if let Some(value) = value {
            rules.push(rule(value, exclusive));
        }
    };
    let minimum = |bound, exclusive| Rule::Minimum { bound, exclusive };
    let maximum = |bound, exclusive| Rule::Maximum { bound, exclusive };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(integer)) => {
            bound(minimum, integer.minimum.map(|value| value as f64), integer.exclusive_minimum);
            bound(maximum, integer.maximum.map(|value| value as f64), integer.exclusive_maximum);
            let values: Vec<Scalar> = integer.enumeration.iter().flatten().map(|&v| Scalar::Integer(v)).collect();
            if !values.is_empty() {
                rules.push(Rule::OneOf(values));
            }
        }
        SchemaKind::Type(Type::Number(number)) => {
            bound(minimum, number.minimum, number.exclusive_minimum);
            bound(maximum, number.maximum, number.exclusive_maximum);
            let values: Vec<Scalar> = number.enumeration.iter().flatten().map(|&v| Scalar::Number(v)).collect();
            if !values.is_empty() {
                rules.push(Rule::OneOf(values));
            }
        }
        SchemaKind::Type(Type::Boolean(boolean)) => {
            let values: Vec<Scalar> = boolean.enumeration.iter().flatten().map(|&v| Scalar::Bool(v)).collect();
            // `[true, false]` allows everything a `bool` can be.
            if values.len() == 1 {
                rules.push(Rule::OneOf(values));
            }
        }
        SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => {
            rules.extend(string.min_length.filter(|&min| min > 0).map(|min| Rule::MinLength(min as u64)));
            rules.extend(string.max_length.map(|max| Rule::MaxLength(max as u64)));
            rules.extend(string.pattern.clone().map(Rule::Pattern));
        }
        SchemaKind::Type(Type::Array(array)) => {
            rules.extend(array.min_items.filter(|&min| min > 0).map(|min| Rule::MinItems(min as u64)));
            rules.extend(array.max_items.map(|max| Rule::MaxItems(max as u64)));
            if array.unique_items {
                rules.push(Rule::UniqueItems);
            }
        }
        _ => {}
    }
    rules
}

/// Marks every type whose fields have rules, or hold a type that does: those implement
/// `Validate`. A fixed point, since types refer to each other in any order (and in cycles).
pub(super) fn mark_validated(types: &mut [TypeDef]) {
    let mut validated: Vec<bool> = types.iter().map(has_own_rules).collect();
    loop {
        let mut changed = false;
        for position in 0..types.len() {
            if validated[position] {
                continue;
            }
            let slots = types[position].kind.slots();
            if slots.iter().any(|slot| slot.ty.innermost().is_some_and(|id| validated[id.index()])) {
                validated[position] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (def, validated) in types.iter_mut().zip(validated) {
        // Only what a request sends is checked.
        def.validated = validated && def.directions.serialize;
    }
}

fn has_own_rules(def: &TypeDef) -> bool {
    matches!(&def.kind, TypeKind::Struct { fields, .. } if fields.iter().any(|field| !field.rules.is_empty()))
}
