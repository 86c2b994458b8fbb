//! Synthetic specs of any number of operations, shaped like Rocket.Chat's: every operation has
//! a path parameter, a query parameter, a JSON body with a shared component, and an inline
//! response object. `cargo run -p benchmarks --bin synthetic-spec -- N` prints one.

/// A spec with `operations` operations and one shared component per ten operations.
pub fn spec(operations: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\npaths:\n");
    for index in 0..operations {
        let component = index / 10;
        text.push_str(&format!(
            r#"  /api/v1/resource{index}.update/{{id}}:
    post:
      operationId: resource{index}.update
      summary: Update resource {index}
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
        - {{name: fields, in: query, schema: {{type: string}}}}
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Shared{component}'}}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                required: [success]
                properties:
                  success: {{type: boolean}}
                  item: {{$ref: '#/components/schemas/Shared{component}'}}
                  count: {{type: integer}}
        '400': {{description: Bad Request}}
"#
        ));
    }
    text.push_str("components:\n  schemas:\n");
    for component in 0..operations.div_ceil(10) {
        text.push_str(&format!(
            r#"    Shared{component}:
      type: object
      required: [_id]
      properties:
        _id: {{type: string}}
        name: {{type: string}}
        kind: {{type: string, enum: [a, b, c]}}
        tags: {{type: array, items: {{type: string}}}}
        extra: {{type: object, additionalProperties: true}}
"#
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_specs_generate_every_operation() {
        let options = rocketchat_codegen::Options::workspace_client();
        let generated = rocketchat_codegen::generate(&super::spec(25), &options).unwrap();
        let client = generated.files.iter().find(|file| file.path == "src/client.rs").unwrap();
        assert_eq!(client.contents.matches("pub fn ").count() - 5, 25);
    }
}
