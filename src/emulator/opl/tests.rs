use super::lex::Position;
use super::parse::MAX_NESTING;
use super::*;

const GOOD: &str = r#"import { Namespace, SubjectSet, Context } from "@ory/keto-namespace-types"

class User implements Namespace {}

class Group implements Namespace {
  related: {
    members: (User | Group)[]
  }
}

/* Folders nest. */
class Folder implements Namespace {
  related: {
    parents: Folder[]
    viewers: Array<User | SubjectSet<Group, "members">>
  }

  permits = {
    view: (ctx: Context): boolean =>
      this.related.viewers.includes(ctx.subject) ||
      this.related.parents.traverse((p) => p.permits.view(ctx)),
  }
}

class Document implements Namespace {
  related: {
    owners: (User | SubjectSet<Group, "members">)[]
    parents: Folder[]
  }

  permits = {
    view: (ctx: Context): boolean =>
      this.related.parents.traverse((p) => p.related.viewers.includes(ctx.subject)) ||
      this.permits.edit(ctx),
    edit: (ctx: Context) => this.related.owners.includes(ctx.subject) && !(this.permits.view(ctx)),
  }
}
"#;

fn at(line: usize, column: usize) -> Position {
    Position { line, column }
}

#[test]
fn the_documented_forms_are_valid() {
    assert_eq!(check(GOOD), vec![]);
    assert_eq!(check(""), vec![]);
}

#[test]
fn nesting_past_the_bound_is_a_mistake_not_a_crash() {
    let document = |open: &str, close: &str, n: usize| {
        format!(
            "class User implements Namespace {{}}\nclass Doc implements Namespace {{\n  related: {{ viewers: User[] }}\n  permits = {{\n    view: (ctx: Context): boolean => {}this.related.viewers.includes(ctx.subject){}\n  }}\n}}\n",
            open.repeat(n),
            close.repeat(n)
        )
    };
    assert_eq!(check(&document("(", ")", MAX_NESTING)), vec![]);
    assert_eq!(check(&document("!", "", MAX_NESTING)), vec![]);
    for (open, close) in [("(", ")"), ("!", ""), ("!(", ")")] {
        let errors = check(&document(open, close, 100_000));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("more than 100 levels deep"), "{errors:?}");
        assert_eq!(errors[0].start.line, 5);
    }
}

#[test]
fn a_mistake_is_placed_on_its_line_and_column() {
    let broken = GOOD.replacen("members: (User | Group)[]", "members: (User | Group)", 1);
    let errors = check(&broken);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].message, "expected \"[\", got \"}\"");
    assert_eq!((errors[0].start, errors[0].end), (at(8, 3), at(8, 4)));

    let errors = check("class A implements Namespace {\n  related: {\n    x: B[]\n  }\n}\n");
    assert_eq!(errors[0].message, "namespace \"B\" is not declared");
    assert_eq!((errors[0].start, errors[0].end), (at(3, 8), at(3, 9)));

    let typo = GOOD.replace("this.related.owners.includes", "this.related.owner.includes");
    let errors = check(&typo);
    assert_eq!(errors[0].message, "namespace \"Document\" has no relation \"owner\"");
    assert_eq!((errors[0].start, errors[0].end), (at(35, 42), at(35, 47)));

    for (source, message) in [
        ("class A implements Namespace {", "expected \"related\", \"permits\" or \"}\", got the end of the document"),
        ("class A {}", "expected \"implements\", got \"{\""),
        ("class A implements Namespace { related: { x: \"B[] } }", "unterminated string"),
        ("class A implements Namespace {} #", "unexpected character '#'"),
        ("class A implements Namespace {}\nclass A implements Namespace {}", "namespace \"A\" is declared twice"),
        (
            "class A implements Namespace { permits = { p: (ctx) => that.permits.p(ctx) } }",
            "\"that\" is not defined here; expected \"this\"",
        ),
        (
            "class A implements Namespace { permits = { p: (ctx) => this.permits.p(other) } }",
            "expected the context \"ctx\", got \"other\"",
        ),
        (
            "class A implements Namespace { related: { x: SubjectSet<A, \"y\">[] } }",
            "namespace \"A\" has no relation \"y\"",
        ),
    ] {
        let errors = check(source);
        assert!(errors.iter().any(|e| e.message == message), "{source}: {errors:?}");
    }
}
