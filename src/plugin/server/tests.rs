use super::*;
use crate::plugin::schema::Attribute;

fn schema() -> Schema {
    Schema::new(
        "s",
        vec![Attribute::string("name").optional(), Attribute::string("secret_wo").optional().sensitive().write_only()],
    )
}

#[test]
fn write_only_values_never_leave_and_an_older_terraform_is_refused() {
    let config = Value::object([("name", Value::string("n")), ("secret_wo", Value::string("s"))]);
    assert_eq!(
        forget_write_only(&schema(), config.clone()),
        Value::object([("name", Value::string("n")), ("secret_wo", Value::Null)])
    );
    assert!(write_only_refused(&schema(), &config, true).0.is_empty());
    let refused = write_only_refused(&schema(), &config, false);
    assert_eq!(refused.0.len(), 1);
    assert!(refused.0[0].detail.contains("Terraform 1.11"), "{}", refused.0[0].detail);
    let unset = Value::object([("name", Value::string("n")), ("secret_wo", Value::Null)]);
    assert!(write_only_refused(&schema(), &unset, false).0.is_empty());
    let not_yet_known = Value::object([("name", Value::string("n")), ("secret_wo", Value::Unknown)]);
    assert!(write_only_refused(&schema(), &not_yet_known, false).0.is_empty());
}
