use super::*;

#[test]
fn the_email_preset_wants_an_email_and_marks_it_for_verification() {
    let schema = preset("preset://email").unwrap();
    assert!(check_traits(&schema, &json!({"email": "a@example.com"})).is_ok());
    let refused = check_traits(&schema, &json!({"email": 3})).unwrap_err();
    assert!(refused.reason.contains("/traits/email"), "{}", refused.reason);
    let (verifiable, recovery) = addresses(&schema, &json!({"email": "A@example.com"}), "now");
    assert_eq!((verifiable[0]["value"].as_str(), recovery.len()), (Some("a@example.com"), 1));
    assert!(hash_secret("pw").starts_with("$pbkdf2-sha256$i=10000,l=32$"));
}
