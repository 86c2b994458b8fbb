//! The model of small specs, asserted directly: names, ids, merged copies, wire decisions and
//! errors, without going through emitted code.

use super::*;

fn build_from(yaml: &str) -> Result<Api, Error> {
    let spec = crate::load::load(yaml, "t.yaml").unwrap_or_else(|error| panic!("{error}"));
    build(spec, "t.yaml")
}

fn api(yaml: &str) -> Api {
    build_from(yaml).unwrap_or_else(|error| panic!("{error}"))
}

/// The names of the types, but the error codes' enum every client has.
fn names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|def| def.name.as_str()).filter(|name| *name != ERROR_TYPE).collect()
}

/// One `POST /x` operation whose JSON body is `body` (YAML, indented for its place).
fn with_body(body: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /x:\n    post:\n      operationId: x.do\n      \
         requestBody:\n        content:\n          application/json:\n            schema:\n{body}\n      \
         responses:\n        '200': {{description: ok}}\n"
    )
}

#[test]
fn a_name_is_taken_only_by_a_type_that_is_defined() {
    // `ab` is a string, which defines no type: the object `Ab` gets the name.
    let api = api(&with_body(
        "              type: object\n              properties:\n                ab: {type: string}\n                \
         Ab: {type: object, properties: {c: {type: string}}}",
    ));
    assert_eq!(names(&api), ["XDoRequest", "XDoRequestAb"]);
}

#[test]
fn references_are_ids_into_the_sorted_type_table() {
    let api = api(&with_body(
        "              type: object\n              properties:\n                zeta: {type: object, properties: {a: {type: string}}}\n                \
         alpha: {type: object, properties: {b: {type: integer}}}",
    ));
    assert_eq!(names(&api), ["XDoRequest", "XDoRequestAlpha", "XDoRequestZeta"]);
    let body = api.operations[0].body.as_ref().expect("a body");
    let TypeRef::Named(id) = body.ty else { panic!("the body is a generated type") };
    let TypeKind::Struct { fields, .. } = &api.type_def(id).kind else { panic!("a struct") };
    let field_types: Vec<&str> = fields.iter().filter_map(|field| field.ty.by_value()).map(|id| api.name(id)).collect();
    assert_eq!(field_types, ["XDoRequestZeta", "XDoRequestAlpha"], "fields keep the spec's order");
    assert_eq!(api.type_def(id).origin.pointer, "/paths/~1x/post/requestBody/content/application~1json/schema");
    assert_eq!(api.type_def(id).origin.component, None);
}

#[test]
fn nested_copies_of_one_schema_are_defined_once_under_their_shared_name() {
    let owner = "{type: object, properties: {_id: {type: string}, username: {type: string}}}";
    let api = api(&with_body(&format!(
        "              type: object\n              properties:\n                \
         first: {{type: object, properties: {{owner: {owner}}}}}\n                \
         second: {{type: object, properties: {{owner: {owner}}}}}"
    )));
    assert_eq!(names(&api), ["Owner", "XDoRequest", "XDoRequestFirst", "XDoRequestSecond"]);
    // `first` and `second` are two names for one shape: one definition, and an alias.
    let id = |name: &str| TypeId(api.types.iter().position(|def| def.name == name).expect(name));
    let second = &api.type_def(id("XDoRequestSecond")).kind;
    assert_eq!(*second, TypeKind::Alias(TypeRef::Named(id("XDoRequestFirst"))));
}

#[test]
fn the_same_shape_under_other_names_is_defined_once_and_keeps_both_names() {
    let flag = "{type: string, enum: ['true', 'false']}";
    let api = api(&with_body(&format!(
        "              type: object\n              properties:\n                unreads: {flag}\n                private: {flag}"
    )));
    // Not merged into one name (an unread flag is not a privacy flag): both alias the one
    // definition, named after its values.
    assert_eq!(names(&api), ["TrueOrFalse", "XDoRequest", "XDoRequestPrivate", "XDoRequestUnreads"]);
    for name in ["XDoRequestPrivate", "XDoRequestUnreads"] {
        let def = api.types.iter().position(|def| def.name == name).map(|index| api.definition(TypeId(index)));
        assert_eq!(def.map(|def| def.name.as_str()), Some("TrueOrFalse"), "{name}");
    }
}

#[test]
fn parameters_are_one_struct_and_their_wire_form_is_decided() {
    let api = api(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items/{id}:\n    get:\n      operationId: items.get\n      \
         parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        \
         - {name: fields, in: query, schema: {type: array, items: {type: string}}}\n        \
         - {name: X-Trace, in: header, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n",
    );
    let operation = &api.operations[0];
    let Input::Params(params) = operation.input else { panic!("a parameters struct") };
    assert_eq!(api.name(params), "ItemsGetParams");
    let wire: Vec<(&str, ParamLocation, ParamEncoding)> =
        operation.params.iter().map(|param| (param.wire.as_str(), param.location, param.encoding)).collect();
    assert_eq!(
        wire,
        [
            ("id", ParamLocation::Path, ParamEncoding::Text),
            ("fields", ParamLocation::Query, ParamEncoding::Styled(QueryStyle::Form { explode: true })),
            ("x-trace", ParamLocation::Header, ParamEncoding::Text),
        ]
    );
}

#[test]
fn multipart_parts_are_decided_in_the_model() {
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /upload:\n    post:\n      operationId: upload\n      \
        requestBody:\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              \
        required: [file]\n              properties:\n                file: {type: string, format: binary}\n                \
        note: {type: string}\n                tags: {type: array, items: {type: string}}\n                \
        secret: {type: string, format: password}\n      responses:\n        '200': {description: ok}\n";
    let api = api(yaml);
    let Some(RequestBody { media: BodyMedia::Multipart(parts), .. }) = &api.operations[0].body else {
        panic!("a multipart body")
    };
    let kinds: Vec<(&str, PartKind, bool)> =
        parts.iter().map(|part| (part.field.as_str(), part.kind, part.optional)).collect();
    assert_eq!(
        kinds,
        [
            ("file", PartKind::File, false),
            ("note", PartKind::Text, true),
            ("tags", PartKind::Json, true),
            ("secret", PartKind::Secret, true),
        ]
    );
}

#[test]
fn a_schema_that_contradicts_itself_is_a_located_error() {
    let error = build_from(&with_body("              type: string\n              enum: [a, 1, {b: 2}]"))
        .expect_err("a string enum holding a number");
    let message = error.to_string();
    assert!(message.contains("#/paths/~1x/post/requestBody/content/application~1json/schema/enum/1"), "{message}");
    assert!(message.contains("`type: string` but `enum` holds `1`"), "{message}");
}

#[test]
fn an_output_holding_a_secret_anywhere_is_marked_secret() {
    // Responses of three operations: a secret two types deep, under a recursive type (found
    // after the recursion is first met), and no secret.
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  \
         /deep: {get: {operationId: deep, responses: {'200': {description: ok, content: {application/json: {schema: \
         {$ref: '#/components/schemas/Outer'}}}}}}}\n  \
         /tree: {get: {operationId: tree, responses: {'200': {description: ok, content: {application/json: {schema: \
         {$ref: '#/components/schemas/Node'}}}}}}}\n  \
         /plain: {get: {operationId: plain, responses: {'200': {description: ok, content: {application/json: {schema: \
         {type: object, properties: {name: {type: string}}}}}}}}}\n\
         components:\n  schemas:\n    \
         Outer: {type: object, properties: {hooks: {type: array, items: {$ref: '#/components/schemas/Hook'}}}}\n    \
         Hook: {type: object, properties: {token: {type: string, format: password}}}\n    \
         Node: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Node'}}, \
         hook: {$ref: '#/components/schemas/Hook'}}}\n";
    let api = api(yaml);
    let secret: Vec<(&str, bool)> =
        api.operations.iter().map(|operation| (operation.id.as_str(), operation.secret_output)).collect();
    assert_eq!(secret, [("deep", true), ("tree", true), ("plain", false)]);
}

/// A spec of one list operation with this `x-pagination`, and `total` (its property line) or
/// not.
fn list(pagination: &str, total: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /l:\n    get:\n      operationId: l\n      \
         x-pagination: {pagination}\n      parameters:\n        \
         - {{name: offset, in: query, schema: {{type: integer}}}}\n        \
         - {{name: count, in: query, schema: {{type: integer}}}}\n      responses:\n        '200':\n          \
         description: ok\n          content:\n            application/json:\n              schema:\n                \
         type: object\n                properties:\n                  items: {{type: array, items: {{type: string}}}}\n{total}"
    )
}

#[test]
fn a_page_step_is_received_or_requested_and_requested_needs_a_total() {
    let total = "                  total: {type: integer}\n";
    let step = |yaml: &str| api(yaml).operations[0].pagination.as_ref().map(|pagination| pagination.step);
    assert_eq!(step(&list("{items: items}", total)), Some(PageStep::ItemsReceived));
    assert_eq!(step(&list("{items: items, step: received}", total)), Some(PageStep::ItemsReceived));
    assert_eq!(step(&list("{items: items, step: requested}", total)), Some(PageStep::CountRequested));

    let error = build_from(&list("{items: items, step: sideways}", total)).unwrap_err().to_string();
    assert!(error.contains("#/paths/~1l/get/x-pagination/step: `step: sideways` is not one of"), "{error}");
    let error = build_from(&list("{items: items, step: requested}", "")).unwrap_err().to_string();
    assert!(error.contains("#/paths/~1l/get/x-pagination: `step: requested` needs an integer `total`"), "{error}");
}

#[test]
fn the_failures_that_mean_an_empty_page_are_a_list_of_messages() {
    let messages = |yaml: &str| api(yaml).operations[0].pagination.as_ref().map(|p| p.empty_on_errors.clone());
    assert_eq!(messages(&list("{items: items}", "")), Some(vec![]));
    let listed = list("{items: items, empty-on-errors: ['Cannot read it', \"can't: either\"]}", "");
    assert_eq!(messages(&listed), Some(vec!["Cannot read it".to_owned(), "can't: either".to_owned()]));

    for wrong in ["'one message'", "[1]", "{error: x}"] {
        let error = build_from(&list(&format!("{{items: items, empty-on-errors: {wrong}}}"), "")).unwrap_err();
        let error = error.to_string();
        assert!(
            error.contains("#/paths/~1l/get/x-pagination/empty-on-errors: `empty-on-errors` must be a list"),
            "{error}"
        );
    }
    let misspelt = build_from(&list("{items: items, empty_on_errors: [x]}", "")).unwrap_err().to_string();
    assert!(
        misspelt
            .contains("#/paths/~1l/get/x-pagination/empty_on_errors: `empty_on_errors` is not an `x-pagination` key"),
        "{misspelt}"
    );
}

#[test]
fn an_operation_id_used_twice_is_refused_where_it_repeats() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      \
                responses: {'200': {description: ok}}\n    post:\n      operationId: a\n      \
                responses: {'200': {description: ok}}\n";
    let error = build_from(spec).unwrap_err().to_string();
    assert!(error.contains("#/paths/~1a/post/operationId: `operationId: a` is also the id of `get /a`"), "{error}");
    // An operation without `operationId` takes `get /b` as its id: the error points at the
    // operation, since it has no `operationId` key to point at.
    let derived = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: get /b\n      \
                   responses: {'200': {description: ok}}\n  /b:\n    get:\n      \
                   responses: {'200': {description: ok}}\n";
    let error = build_from(derived).unwrap_err().to_string();
    assert!(
        error.contains(
            "#/paths/~1b/get: this operation has no `operationId`, so its id is its method and path, `get /b`, which \
             is also the id of `get /a`"
        ),
        "{error}"
    );
}

#[test]
fn an_integer_enum_with_named_values_is_a_type_and_its_names_must_fit() {
    let named = api(&with_body(
        "              type: object\n              properties:\n                level: {type: integer, enum: [0, 1], \
         x-enum-varnames: [Low, High]}\n                plain: {type: integer, enum: [0, 1]}",
    ));
    let level = named.types.iter().find(|def| def.name == "XDoRequestLevel").expect("a type of its own");
    let TypeKind::IntegerEnum { variants } = &level.kind else { panic!("{:?}", level.kind) };
    let variants: Vec<(&str, i64)> = variants.iter().map(|variant| (variant.name.as_str(), variant.value)).collect();
    assert_eq!(variants, [("Low", 0), ("High", 1)]);
    // Without names, an `i64` with a rule.
    assert_eq!(names(&named), ["XDoRequest", "XDoRequestLevel"]);

    let error = build_from(&with_body(
        "              type: object\n              properties:\n                level: {type: integer, enum: [0, 1], \
         x-enum-varnames: [Low]}",
    ))
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("/level/x-enum-varnames: `x-enum-varnames` must be a list of strings, one for each of the 2"),
        "{error}"
    );
}

#[test]
fn a_ref_into_the_wrong_section_says_which_section_and_whether_the_name_is_there() {
    let spec = |reference: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        \
             - $ref: '{reference}'\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  \
             parameters:\n    UserQuery: {{name: username, in: query, schema: {{type: string}}}}\n  schemas:\n    \
             UserQuery: {{type: string}}\n    Other: {{type: string}}\n"
        )
    };
    let error = build_from(&spec("#/components/schemas/UserQuery")).unwrap_err().to_string();
    assert!(
        error.ends_with(
            "this `$ref` must point into `components.parameters`, not `components.schemas` \
             (`#/components/parameters/UserQuery` exists)"
        ),
        "{error}"
    );
    let error = build_from(&spec("#/components/schemas/Other")).unwrap_err().to_string();
    assert!(error.ends_with("must point into `components.parameters`, not `components.schemas`"), "{error}");
    let error = build_from(&spec("#/definitions/UserQuery")).unwrap_err().to_string();
    assert!(error.ends_with("only local references of the form `#/components/parameters/NAME` are supported here"));
}

#[test]
fn a_misspelt_extension_of_ours_is_a_warning_and_a_version_number_must_be_quoted() {
    let with = |extension: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      {extension}\n      \
             responses: {{'200': {{description: ok}}}}\n"
        )
    };
    let warnings = |extension: &str| -> Vec<String> {
        let api = api(&with(extension));
        api.warnings.iter().map(|warning| format!("{}: {}", warning.location.pointer, warning.message)).collect()
    };
    assert_eq!(
        warnings("x-paginaton: {items: users}"),
        ["/paths/~1a/get/x-paginaton: `x-paginaton` is not an extension this generator reads (did you mean \
          `x-pagination`?); it is ignored"]
    );
    assert!(warnings("x-permision: [a]")[0].contains("did you mean `x-permissions`?"));
    assert!(warnings("x-added_in: '6.1'")[0].contains("did you mean `x-added-in`?"));
    // Another vendor's extensions, even one two letters off one of ours, are left alone.
    assert!(warnings("x-version: 2").is_empty());
    assert!(warnings("x-removed-at: '1'").is_empty() && warnings("x-deprecated-by: a").is_empty());
    assert!(warnings("x-examples: {}").is_empty());
    assert!(warnings("x-source: apps/meteor/server/api/v1/users.ts").is_empty());

    let error = build_from(&with("x-added-in: 6.10")).unwrap_err().to_string();
    assert!(error.contains("`x-added-in` must be a string, and YAML read `6.1` as a number; quote it"), "{error}");
}

#[test]
fn a_required_name_that_is_no_property_is_a_warning() {
    let spec = |required: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Room:\n      \
             type: object\n      required: {required}\n      properties:\n        _id: {{type: string}}\n        \
             name: {{type: string}}\n"
        )
    };
    let typo = api(&spec("[name, ' _id']"));
    let warnings: Vec<String> =
        typo.warnings.iter().map(|warning| format!("{}: {}", warning.location.pointer, warning.message)).collect();
    assert_eq!(
        warnings,
        ["/components/schemas/Room/required/1: `required` names ` _id`, which is not one of this object's \
          `properties` (did you mean `_id`?): it makes no field required"]
    );
    assert!(api(&spec("[name, _id]")).warnings.is_empty());
    // With other keys allowed, a required one need not be a property.
    let open =
        spec("[name, extra]").replace("      type: object\n", "      type: object\n      additionalProperties: true\n");
    assert!(api(&open).warnings.is_empty(), "{open}");
}

#[test]
fn an_all_of_part_with_only_required_makes_the_other_parts_fields_required() {
    let spec = |parts: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Base:\n      \
             type: object\n      properties: {{id: {{type: string}}}}\n    Named:\n      allOf:\n{parts}"
        )
    };
    let fields = |api: &Api| -> Vec<(String, bool)> {
        let def = api.types.iter().find(|def| def.name == "Named").expect("Named");
        let TypeKind::Struct { fields, .. } = &def.kind else { panic!("a struct") };
        fields.iter().map(|field| (field.name.clone(), field.optional)).collect()
    };
    for required in ["{required: [name]}", "{type: object, required: [name]}"] {
        let api = api(&spec(&format!(
            "        - {{type: object, properties: {{name: {{type: string}}, age: {{type: integer}}}}}}\n        - {required}\n"
        )));
        assert_eq!(fields(&api), [("name".to_owned(), false), ("age".to_owned(), true)], "{required}");
        assert!(api.warnings.is_empty(), "{required}: {:?}", api.warnings);
    }
    // A referenced part's type is shared and keeps its own `required`: naming its property is
    // common and says nothing wrong; naming nobody's property is a warning.
    let warnings = |parts: &str| -> Vec<String> {
        let api = api(&spec(parts));
        api.warnings.iter().map(|warning| format!("{}: {}", warning.location.pointer, warning.message)).collect()
    };
    assert!(warnings("        - $ref: '#/components/schemas/Base'\n        - required: [id]\n").is_empty());
    let common = "        - $ref: '#/components/schemas/Base'\n        - {type: object, properties: {name: {type: string}}, \
                  required: [id, name]}\n";
    assert!(warnings(common).is_empty());
    assert_eq!(fields(&api(&spec(common))), [("base".to_owned(), false), ("name".to_owned(), false)]);
    assert_eq!(
        warnings("        - $ref: '#/components/schemas/Base'\n        - required: [nope]\n"),
        ["/components/schemas/Named/allOf/1/required/0: `required` names `nope`, which no part of this `allOf` has \
          among its `properties`: it makes no field required"]
    );
}
