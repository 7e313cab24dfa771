use super::json::MAX_JSON_DEPTH;
use super::time::MAX_DURATION_SECONDS;
use super::*;

#[test]
fn durations_are_go_style() {
    assert_eq!(parse_duration("90s"), Some(90));
    assert_eq!(parse_duration("1h30m"), Some(5400));
    assert_eq!(parse_duration("1h"), Some(3600));
    for bad in ["", "1", "1d", "0s", "h", "-5m", "87601h", "99999999999999999999h", "9223372036854775807s"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
    assert_eq!(parse_duration("87600h"), Some(MAX_DURATION_SECONDS));
    assert!(time("9999-12-31T23:59:59Z").is_ok());
    assert_eq!(canonical_time("2030-01-01t01:00:00+01:00"), "2030-01-01T00:00:00Z");
    assert_eq!(canonical_time("2030-01-01 00:00:00.5z"), "2030-01-01T00:00:00.500Z");
    assert!(time("9999-12-31T23:59:59-01:00").unwrap_err().contains("before the year 10000"));
}

#[test]
fn names_and_urls_are_refused_with_spaces_at_their_ends_never_trimmed() {
    assert!(name("Ünïcode 名前 ✓").is_ok());
    assert!(name(&"x".repeat(10_000)).is_ok());
    for bad in ["", "  ", " lead", "trail ", "line\nbreak", "tab\there", "esc\u{1b}[31m"] {
        assert!(name(bad).is_err(), "{bad:?}");
    }
    for check in [https_url, http_url, cors_origin] {
        assert!(check(" https://example.com").is_err());
        assert!(check("https://example.com\n").is_err());
        assert!(check("https://example.com").is_ok());
    }
    assert!(!https_url(" https://u:hunter2@example.com").unwrap_err().contains("hunter2"));
}

#[test]
fn a_leap_second_is_refused_and_times_are_sent_canonical() {
    assert!(time("2030-06-30T23:59:60Z").unwrap_err().contains("leap second"));
    assert_eq!(canonical_time("2030-06-30 23:59:59Z"), "2030-06-30T23:59:59Z");
}

#[test]
fn uuids_are_accepted_in_canonical_form_only() {
    assert!(is_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
    for other in [
        "3FA85F64-5717-4562-B3FC-2C963F66AFA6",
        "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
        "3fa85f6457174562b3fc2c963f66afa6",
    ] {
        assert!(!is_uuid(other), "{other}");
    }
}

#[test]
fn origins_and_json_are_checked() {
    for good in ["*", "https://example.com", "http://localhost:3000", "https://*.example.com"] {
        assert!(cors_origin(good).is_ok(), "{good}");
    }
    for bad in ["example.com", "https://example.com/path", "ftp://x", ""] {
        assert!(cors_origin(bad).is_err(), "{bad}");
    }
    assert!(json_object(r#"{"a": 1}"#).is_ok());
    assert!(json_object("[1]").is_err());
    let deep = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    assert!(json_object(&deep(MAX_JSON_DEPTH)).is_ok());
    for too_deep in [MAX_JSON_DEPTH + 1, 124, 200] {
        assert!(json_object(&deep(too_deep)).unwrap_err().contains("levels deep"), "{too_deep}");
    }
    assert!(same_json(r#"{"a": 1, "b": [1.0]}"#, r#"{"b":[1],"a":1}"#));
}

#[test]
fn domains_and_lifespans_are_ory_s() {
    assert!(domain("sso.example.com").is_ok() && domain("Example.com").is_err() && domain("localhost").is_err());
    assert!(session_lifespan("24h").is_ok() && session_lifespan("1m").is_ok() && session_lifespan("60s").is_ok());
    for bad in ["59s", "8761h", "1d", "1h30m", "h", ""] {
        assert!(session_lifespan(bad).is_err(), "{bad}");
    }
}

#[test]
fn names_that_read_other_than_they_are_are_refused() {
    for bad in
        ["\u{200B}", "\u{200B}\u{200C}\u{FEFF}", "\u{2060}", "a\u{202E}b", "ab\u{2066}c", "a\u{2028}b", "a\u{2029}"]
    {
        assert!(name(bad).is_err(), "{bad:?}");
    }
    assert!(name("👩\u{200D}💻 team").is_ok(), "a joiner inside an emoji is fine");
}

#[test]
fn a_project_api_url_holds_one_slug_placeholder_of_either_spelling() {
    for fine in [
        "https://{slug}.projects.oryapis.com",
        "https://%s.projects.oryapis.com",
        "http://127.0.0.1:4000/project-api/%s",
    ] {
        assert_eq!(project_api_url(fine), Ok(()), "{fine}");
    }
    for bad in ["https://projects.oryapis.com", "https://%s.{slug}.example.com", "https://%s.%s.example.com"] {
        assert!(project_api_url(bad).unwrap_err().contains("{slug} (or %s) once"), "{bad}");
    }
    assert_eq!(
        crate::project_api::url_for("https://%s.projects.oryapis.com", "vibrant-moore"),
        "https://vibrant-moore.projects.oryapis.com"
    );
}

#[test]
fn urls_with_credentials_are_never_echoed_even_when_they_do_not_parse() {
    for bad in [
        "https://ci:PW@api.console.ory.sh:99999",
        "https://ci:PW@api console.ory.sh",
        "https://ci:PW@[::1",
        "ci:PW@api.console.ory.sh",
        "https://ci:PW@host/",
    ] {
        let problem = console_url(bad).unwrap_err();
        assert!(!problem.contains("PW"), "{bad}: {problem}");
    }
    for bad in [
        "https://u:PW@exa mple.com",
        "https://u:PW@[::1",
        "https://user:PW@hooks.example.com/x",
        "https://PW@hooks.example.com",
    ] {
        assert!(!web_hook_url(bad).unwrap_err().contains("PW"), "{bad}");
        assert!(!cors_origin(bad).unwrap_err().contains("PW"), "{bad}");
    }
    for bad in ["https:///x", "https:\\\\x", "https://\\x", "https:////api.console.ory.sh"] {
        assert!(console_url(bad).is_err(), "{bad}");
        assert!(http_url(bad).is_err(), "{bad}");
        assert!(https_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn origins_domains_lifespans_and_header_names_are_what_they_claim() {
    for bad in [
        "https://u:p@example.com",
        "https://u@example.com",
        "https://a*b.example.com",
        "https://x.*.com",
        "https://*.*.com",
        "https://*",
    ] {
        assert!(cors_origin(bad).is_err(), "{bad}");
    }
    for bad in ["1.2", "10.0.0.1", &format!("{}.com", vec!["a".repeat(60); 5].join("."))] {
        assert!(domain(bad).is_err(), "{bad}");
    }
    assert!(domain("a1.example.c0m").is_ok());
    for bad in ["+60m", "-1h", " 60m", "6_0m"] {
        assert!(session_lifespan(bad).is_err(), "{bad}");
    }
    assert!(header_name("X-Api-Key").is_ok());
    for bad in ["X-Key\r\nX-Other: 1", "a b", "", "a:b", "é"] {
        assert!(header_name(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn arns_are_checked_by_part() {
    assert!(sns_topic_arn("arn:aws:sns:us-east-1:123456789012:ory").is_ok());
    assert!(sns_topic_arn("arn:aws:sqs:us-east-1:123456789012:ory").is_err());
    assert!(iam_role_arn("arn:aws:iam::123456789012:role/ory").is_ok());
    assert!(iam_role_arn("arn:aws:iam::123456789012:user/ory").is_err());
}
