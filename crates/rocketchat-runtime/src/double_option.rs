//! Serde helpers for an optional field that may also be `null`, as `Option<Option<T>>`:
//! absent is `None`, `null` is `Some(None)`, a value is `Some(Some(value))`. Generated types
//! use it with `#[serde(default, skip_serializing_if = "Option::is_none", with = "...")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        // Skipped by `skip_serializing_if`; `null` if a caller serializes it anyway.
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    // Only called when the key is present: absent keys take the field's `default`.
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        topic: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_are_told_apart() {
        for (json, value) in
            [("{}", None), (r#"{"topic":null}"#, Some(None)), (r#"{"topic":"x"}"#, Some(Some("x".to_owned())))]
        {
            let decoded: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(decoded, Patch { topic: value });
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
    }
}
