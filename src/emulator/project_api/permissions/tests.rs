use serde_json::Value;
use uuid::Uuid;

use super::engine::{Answer, Engine, Limits, Question, Subject};
use crate::emulator::opl;
use crate::emulator::store::Relationship;

/// `Namespace:object#relation` (relation optional) as its three parts.
fn set_of(text: &str) -> [String; 3] {
    let (namespace, rest) = text.split_once(':').unwrap_or(("", text));
    let (object, relation) = rest.split_once('#').unwrap_or((rest, ""));
    [namespace, object, relation].map(String::from)
}

/// Keto's test notation: `Namespace:object#relation@subject`.
fn question_of(text: &str) -> Question {
    let (tuple, subject) = text.split_once('@').unwrap();
    let [namespace, object, relation] = set_of(tuple);
    let subject = if subject.contains(':') { Subject::Set(set_of(subject)) } else { Subject::Id(subject.into()) };
    Question { namespace, object, relation, subject }
}

fn tuple_of(text: &str) -> Relationship {
    let q = question_of(text);
    let (subject_id, subject_set) = match q.subject {
        Subject::Id(id) => (Some(id), None),
        Subject::Set(set) => (None, Some(set)),
    };
    Relationship {
        id: Uuid::new_v4(),
        project_id: Uuid::nil(),
        namespace: q.namespace,
        object: q.object,
        relation: q.relation,
        subject_id,
        subject_set,
    }
}

/// Keto's engine tests run their width and depth cases in both modes,
/// expecting the same; the rest in the mode their scenario names.
fn modes(scenario: &Value) -> Vec<bool> {
    match scenario["name"].as_str() {
        _ if scenario["strict"] == true => vec![true],
        Some("Width Limit" | "Depth Limit") => vec![false, true],
        _ => vec![false],
    }
}

#[test]
fn ketos_engine_cases_get_ketos_answers() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keto_engine/cases.json");
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut passed, mut differ) = (0, Vec::new());
    for check in cases["checks"].as_array().unwrap() {
        let scenario =
            cases["scenarios"].as_array().unwrap().iter().find(|s| s["name"] == check["scenario"]).expect("a scenario");
        let namespaces = opl::parse(scenario["opl"].as_str().unwrap().as_bytes()).expect("Keto's OPL parses");
        let tuples: Vec<Relationship> =
            scenario["tuples"].as_array().unwrap().iter().map(|t| tuple_of(t.as_str().unwrap())).collect();
        for strict in modes(scenario) {
            let limits = Limits {
                max_read_depth: check["max_read_depth"].as_i64().unwrap(),
                max_read_width: check["max_read_width"].as_u64().unwrap() as usize,
                strict,
            };
            let engine = Engine { namespaces: &namespaces, tuples: tuples.iter().collect(), limits };
            let query = check["query"].as_str().unwrap();
            let answer = engine.check(&question_of(query), check["max_depth"].as_i64().unwrap());
            let got = match (check["expected"].as_str().unwrap(), &answer) {
                ("allowed" | "not_allowed", Answer::Member) => "allowed",
                ("allowed" | "not_allowed", _) => "not_allowed",
                (_, Answer::Member) => "member",
                (_, Answer::NotMember) => "not_member",
                (_, _) => "unknown",
            };
            if got == check["expected"] {
                passed += 1;
            } else {
                let mode = if strict { "strict" } else { "default" };
                differ.push(format!(
                    "{} ({mode}) {query}: keto {}, ours {answer:?}",
                    check["scenario"], check["expected"]
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{} differ:\n{}", differ.len(), differ.join("\n"));
    assert_eq!(passed, 161, "the cases changed");
}

/// The subjects of a shown tree, each with its depth, leaves only.
fn leaves(tree: &Value, depth: usize, out: &mut Vec<String>) {
    match tree["children"].as_array() {
        Some(children) => children.iter().for_each(|c| leaves(c, depth + 1, out)),
        None => {
            let tuple = &tree["tuple"];
            let who = match tuple["subject_id"].as_str() {
                Some(id) => id.to_string(),
                None => format!(
                    "{}:{}#{}",
                    tuple["subject_set"]["namespace"].as_str().unwrap(),
                    tuple["subject_set"]["object"].as_str().unwrap(),
                    tuple["subject_set"]["relation"].as_str().unwrap()
                ),
            };
            out.push(format!("{depth} {who}"));
        }
    }
}

#[test]
fn an_expansion_follows_subject_sets_to_its_depth() {
    let namespaces = opl::parse(b"class User implements Namespace{} class Group implements Namespace{}").unwrap();
    let tuples: Vec<Relationship> = [
        "Group:company#members@Group:engineering#members",
        "Group:company#members@User:cto",
        "Group:engineering#members@User:manager",
        "Group:engineering#members@Group:backend#members",
        "Group:backend#members@Alice",
        "Group:backend#members@Group:company#members",
    ]
    .iter()
    .map(|t| tuple_of(t))
    .collect();
    let company = ["Group", "company", "members"].map(String::from);
    let shown = |depth| {
        let tree = super::expand::Expansion::new(&namespaces, tuples.iter().collect(), false)
            .tree(company.clone(), depth)
            .unwrap();
        let mut found = Vec::new();
        leaves(&tree, 0, &mut found);
        found.sort();
        found
    };
    assert_eq!(
        shown(5),
        [
            "1 User:cto#",
            "2 User:manager#",
            "3 Alice",
            "3 Group:company#members", // the cycle, not followed again
        ]
    );
    // Depth 2 shows the company's tuples, and stops at engineering's.
    assert_eq!(shown(2), ["1 Group:engineering#members", "1 User:cto#"]);
}
