use std::collections::BTreeMap;

use rmpv::Value as Mp;

use super::*;

#[test]
fn a_state_of_another_shape_keeps_what_fits_attribute_by_attribute() {
    let ty = Type::Object(
        [("version", Type::String), ("flag", Type::String), ("names", Type::list(Type::String)), ("n", Type::Number)]
            .into_iter()
            .map(|(k, t)| (k.to_string(), t))
            .collect(),
    );
    let stored = serde_json::json!({"version": 2, "flag": true, "names": "not a list", "n": 3, "gone": 1});
    assert!(Value::from_json(&stored, &ty).is_err());
    let (value, dropped) = Value::from_json_attribute_wise(&stored, &ty).unwrap();
    assert_eq!(value.attr("version"), &Value::string("2"));
    assert_eq!(value.attr("flag"), &Value::string("true"));
    assert_eq!(value.attr("names"), &Value::Null);
    assert_eq!(value.attr("n"), &Value::Number("3".into()));
    assert_eq!(dropped, ["names"]);
}

fn obj_type() -> Type {
    Type::Object(BTreeMap::from([
        ("name".to_string(), Type::String),
        ("count".to_string(), Type::Number),
        ("tags".to_string(), Type::map(Type::String)),
        ("items".to_string(), Type::list(Type::Object(BTreeMap::from([("a".to_string(), Type::Bool)])))),
        ("any".to_string(), Type::Dynamic),
    ]))
}

#[test]
fn msgpack_round_trips_nulls_and_unknowns_at_every_depth() {
    let ty = obj_type();
    let v = Value::object([
        ("name", Value::Unknown),
        ("count", Value::Number("0.1".into())),
        ("tags", Value::Map(BTreeMap::from([("k".into(), Value::Unknown), ("n".into(), Value::Null)]))),
        ("items", Value::List(vec![Value::object([("a", Value::Unknown)]), Value::object([("a", Value::Null)])])),
        ("any", Value::Dynamic(Type::String, Box::new(Value::string("x")))),
    ]);
    let bytes = v.to_msgpack(&ty);
    assert_eq!(Value::from_msgpack(&bytes, &ty).unwrap(), v);
}

#[test]
fn unknown_is_written_as_terraforms_fixext1() {
    assert_eq!(Value::Unknown.to_msgpack(&Type::String), vec![0xd4, 0, 0]);
}

#[test]
fn refined_unknowns_decode_as_unknown() {
    // A not-null unknown string, as Terraform >= 1.6 sends it.
    let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
    assert_eq!(Value::from_msgpack(&bytes, &Type::String).unwrap(), Value::Unknown);
}

#[test]
fn objects_are_written_complete() {
    let ty = obj_type();
    let bytes = Value::object([("name", Value::string("n"))]).to_msgpack(&ty);
    let Mp::Map(entries) = rmpv::decode::read_value(&mut &bytes[..]).unwrap() else { panic!("not a map") };
    assert_eq!(entries.len(), 5);
}

#[test]
fn numbers_keep_precision() {
    for n in ["100000000000000000000", "0.1", "-7"] {
        let bytes = Value::Number(n.into()).to_msgpack(&Type::Number);
        assert_eq!(Value::from_msgpack(&bytes, &Type::Number).unwrap(), Value::Number(n.into()));
    }
}

#[test]
fn json_state_decodes_and_ignores_removed_attributes() {
    let ty = obj_type();
    let json =
        serde_json::json!({"name": "a", "count": 3, "gone": true, "any": {"value": [1], "type": ["list", "number"]}});
    let v = Value::from_json(&json, &ty).unwrap();
    assert_eq!(v.attr("name").as_str(), Some("a"));
    assert_eq!(v.attr("count").as_i64(), Some(3));
    assert!(v.attr("tags").is_null());
    assert_eq!(
        v.attr("any"),
        &Value::Dynamic(Type::list(Type::Number), Box::new(Value::List(vec![Value::Number("1".into())])))
    );
}

#[test]
fn type_json_round_trips() {
    let ty = obj_type();
    assert_eq!(Type::from_json(&ty.to_json()).unwrap(), ty);
    assert!(Type::from_json(&serde_json::json!(["object", {"a": "string"}, ["a"]])).is_ok());
    assert!(Type::from_json(&serde_json::json!("strin")).is_err());
}

#[test]
fn decode_errors_name_the_path() {
    let mut buf = Vec::new();
    let bad = Mp::Map(vec![(Mp::from("tags"), Mp::Map(vec![(Mp::from("k"), Mp::Boolean(true))]))]);
    rmpv::encode::write_value(&mut buf, &bad).unwrap();
    let e = Value::from_msgpack(&buf, &obj_type()).unwrap_err();
    assert_eq!(e.path, "tags.k");
}
