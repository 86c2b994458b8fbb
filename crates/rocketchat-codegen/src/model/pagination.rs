//! `x-pagination`: list operations paged by `offset` and `count`, whose output holds the items
//! and (usually) the `total`. Resolved once every type is known, since the output may be a
//! component generated after its operation.

use super::{Api, Operation, PageStep, Pagination, ParamLocation, TypeId, TypeKind, TypeRef};
use crate::error::{Error, Location, Pointer};

/// An operation's `x-pagination`, read with the operation, resolved later.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub operation: usize,
    pub items: String,
    pub step: PageStep,
    pub empty_on_errors: Vec<String>,
    pub pointer: Pointer,
    pub stream_method: String,
    pub iter_method: String,
}

pub(super) fn resolve(api: &mut Api, pending: Vec<Pending>, file: &str) -> Result<(), Error> {
    for pending in pending {
        let pagination =
            paginate(&api.operations[pending.operation], api, &pending).map_err(|message| Error::Invalid {
                location: Location {
                    file: file.to_owned(),
                    pointer: pending.pointer.as_str().to_owned(),
                    line: None,
                    column: None,
                },
                message,
            })?;
        api.operations[pending.operation].pagination = Some(pagination);
    }
    Ok(())
}

fn paginate(operation: &Operation, api: &Api, pending: &Pending) -> Result<Pagination, String> {
    let param = |wire: &str| {
        let found = operation.params.iter().position(|param| {
            param.location == ParamLocation::Query
                && param.wire == wire
                && matches!(param.ty, TypeRef::I64 | TypeRef::I32)
        });
        found.ok_or_else(|| format!("a paged operation needs an integer query parameter `{wire}`; add it (`$ref: '#/components/parameters/...'`) or remove `x-pagination`"))
    };
    let offset_param = param("offset")?;
    let count_param = param("count")?;
    let super::Output::Json(TypeRef::Named(output)) = operation.output else {
        return Err("a paged operation must return a JSON object that holds its items".into());
    };
    let (items_path, items_ty, items_optional) = find_field(api, output, &pending.items).ok_or_else(|| {
        let output = api.name(output);
        format!("the output `{output}` has no field `{}` (the items `x-pagination` names)", pending.items)
    })?;
    let TypeRef::Vec(item) = items_ty else {
        return Err(format!("`{}` must be an array to be paged", pending.items));
    };
    let total_path = find_field(api, output, "total")
        .filter(|(_, ty, _)| matches!(ty, TypeRef::I64 | TypeRef::I32))
        .map(|(path, _, optional)| (path, optional));
    if pending.step == PageStep::CountRequested && total_path.is_none() {
        let output = api.name(output);
        return Err(format!(
            "`step: requested` needs an integer `total` in the output `{output}`: without it, a page the server \
             emptied would end the list"
        ));
    }
    Ok(Pagination {
        item: (*item).clone(),
        items_path,
        items_optional,
        total_path,
        offset_param,
        count_param,
        step: pending.step,
        empty_on_errors: pending.empty_on_errors.clone(),
        stream_method: pending.stream_method.clone(),
        iter_method: pending.iter_method.clone(),
    })
}

/// The path of field names to the field with JSON key `wire`, through flattened parts: its
/// type, and whether it may be absent.
fn find_field(api: &Api, id: TypeId, wire: &str) -> Option<(Vec<String>, TypeRef, bool)> {
    let TypeKind::Struct { fields, .. } = &api.definition(id).kind else { return None };
    if let Some(field) = fields.iter().find(|field| field.wire.as_deref() == Some(wire)) {
        return Some((vec![field.name.clone()], field.ty.clone(), field.optional || field.nullable));
    }
    fields.iter().filter(|field| field.wire.is_none()).find_map(|field| {
        let (mut path, ty, optional) = find_field(api, field.ty.by_value()?, wire)?;
        path.insert(0, field.name.clone());
        Some((path, ty, optional))
    })
}
