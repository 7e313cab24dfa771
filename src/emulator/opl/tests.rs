use base64::Engine;
use serde_json::Value;

use super::parse::MAX_NESTING;
use super::*;

/// Keto's own documents, each with the verdict Keto's parser gives it
/// (tests/fixtures/keto_opl/NOTICE.md).
fn keto_documents() -> Vec<(String, Vec<u8>, Value)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keto_opl/verdicts.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| {
            let case: Value = serde_json::from_str(line).unwrap();
            let source = match (&case["input"], &case["base64"]) {
                (Value::String(text), _) => text.as_bytes().to_vec(),
                (_, Value::String(encoded)) => base64::engine::general_purpose::STANDARD.decode(encoded).unwrap(),
                _ => panic!("a case without a document: {line}"),
            };
            (case["source"].as_str().unwrap().to_string(), source, case["errors"].clone())
        })
        .collect()
}

fn answered(errors: &[OplError]) -> Value {
    errors
        .iter()
        .map(|e| {
            serde_json::json!({
                "message": e.message,
                "start": {"line": e.start.line, "column": e.start.column},
                "end": {"line": e.end.line, "column": e.end.column},
            })
        })
        .collect()
}

#[test]
fn every_one_of_ketos_documents_gets_ketos_verdict_message_and_position() {
    let documents = keto_documents();
    let mut differ = Vec::new();
    for (source, document, verdict) in &documents {
        let ours = answered(&check(document));
        if ours != *verdict {
            differ.push(format!("{source}:\n  keto: {verdict}\n  ours: {ours}"));
        }
    }
    assert!(differ.is_empty(), "{} of {} differ:\n{}", differ.len(), documents.len(), differ.join("\n"));
    let valid = documents.iter().filter(|(_, _, v)| v.as_array().unwrap().is_empty()).count();
    assert_eq!((documents.len(), valid), (686, 119), "the vectors changed");
}

fn messages(source: &str) -> Vec<String> {
    check(source.as_bytes()).into_iter().map(|e| e.message).collect()
}

const DOC: &str = "class User implements Namespace {}
class Doc implements Namespace {
  related: { viewers: User[] }
  permits = { view: (ctx: Context): boolean => this.related.viewers.includes(ctx.subject) }
}
";

#[test]
fn what_keto_accepts_is_accepted() {
    for source in [
        DOC,
        // Quoted names and bracket access.
        "class R implements Namespace {\n  related: { \"a.b\": R[] }\n  permits = { 'p': (ctx) => this.related[\"a.b\"].traverse((r) => r.permits[\"p\"](ctx)) }\n}",
        // A trailing comma in a traverse callback.
        "class R implements Namespace {\n  related: { parents: R[] }\n  permits = { p: (ctx) => this.related.parents.traverse((r) => r.related.parents.includes(ctx.subject,),) }\n}",
        // Tokens outside a class are passed over.
        "import { Namespace } from '@ory/keto-namespace-types'\nexport class User implements Namespace {}\n= ] ; x",
        "",
    ] {
        assert_eq!(messages(source), Vec::<String>::new(), "{source}");
    }
}

#[test]
fn what_keto_refuses_is_refused_where_keto_places_it() {
    let at = |source: &str| {
        check(source.as_bytes()).into_iter().map(|e| (e.message, e.start.line, e.start.column)).collect::<Vec<_>>()
    };
    // Columns count from 0, but the very first character shows column 1.
    assert_eq!(at("\u{a0}"), vec![("fatal: at \"\\u00a0\": unexpected token \u{a0}".into(), 1, 1)]);
    assert_eq!(at("class A implements Namespace {} #"), vec![("fatal: at \"#\": unexpected token #".into(), 1, 32)]);
    assert_eq!(at("class A implements Namespace {} 42")[0].0, "fatal: at \"42\": unexpected token 4");
    assert_eq!(
        at(&DOC.replace("(ctx: Context)", "(context: Context)")),
        vec![("expected \"ctx\", got \"context\"".into(), 4, 21)]
    );
    assert_eq!(
        at(&DOC.replace("viewers: User[]", "viewers: Usr[]")),
        vec![("namespace \"Usr\" was not declared".into(), 3, 22)]
    );
}

#[test]
fn nesting_past_keto_bound_is_a_mistake_not_a_crash() {
    let document = |open: &str, close: &str, n: usize| {
        DOC.replace(
            "=> this.related.viewers.includes(ctx.subject)",
            &format!("=> {}this.related.viewers.includes(ctx.subject){}", open.repeat(n), close.repeat(n)),
        )
    };
    assert_eq!(messages(&document("(", ")", MAX_NESTING - 1)), Vec::<String>::new());
    for (open, close) in [("(", ")"), ("!(", ")")] {
        let errors = messages(&document(open, close, 100_000));
        assert_eq!(errors, vec!["expression nested too deeply; maximal nesting depth is 10".to_string()], "{open}");
    }
    // A `!` takes one expression or one group, not another `!`.
    assert_eq!(messages(&document("!", "", 100_000)), vec!["expected \"this\", got \"!\"".to_string()]);
}

#[test]
fn the_namespaces_of_a_valid_document_are_listed() {
    let names: Vec<String> = parse(DOC.as_bytes()).unwrap().iter().map(name_of).collect();
    assert_eq!(names, vec!["User", "Doc"]);
    assert!(parse(b"class A implements Namespace { related: { x: B[] } }").is_err());
}
