//! What a document declares, as Keto's engine reads it: namespaces, their
//! relations (the permissions among them, each with its rewrite).

/// A namespace: a `class`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Namespace {
    pub name: Vec<u8>,
    pub relations: Vec<Relation>,
}

/// A relation (`related`) with the types it holds, or a permission
/// (`permits`) with its rewrite.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relation {
    pub name: Vec<u8>,
    pub types: Vec<RelationType>,
    pub rewrite: Option<Rewrite>,
}

/// `Namespace`, or `SubjectSet<Namespace, "relation">` when `relation` is
/// not empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RelationType {
    pub namespace: Vec<u8>,
    pub relation: Vec<u8>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Operator {
    #[default]
    Or,
    And,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rewrite {
    pub operator: Operator,
    pub children: Vec<Child>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Child {
    Rewrite(Rewrite),
    /// `this.related.r.includes(ctx.subject)` or `this.permits.p(ctx)`.
    Computed(Vec<u8>),
    /// `this.related.r.traverse((x) => x.related.s...)`: `s` of each
    /// object that `r` holds.
    Traverse {
        relation: Vec<u8>,
        computed: Vec<u8>,
    },
    /// `!child`.
    Invert(Box<Child>),
}

impl Child {
    /// A child where a rewrite is wanted: a rewrite as it is, else the
    /// child alone under an `Or`.
    pub fn into_rewrite(self) -> Rewrite {
        match self {
            Child::Rewrite(rewrite) => rewrite,
            child => Rewrite { operator: Operator::Or, children: vec![child] },
        }
    }
}

impl Rewrite {
    /// Nested rewrites of one operator, or of one child, lifted into their
    /// parent, as Keto stores a permission.
    pub fn simplified(self) -> Rewrite {
        let operator = self.operator;
        let mut children = Vec::new();
        for child in self.children {
            match child {
                Child::Rewrite(inner) => {
                    let inner = inner.simplified();
                    if inner.children.len() == 1 || inner.operator == operator {
                        children.extend(inner.children);
                    } else {
                        children.push(Child::Rewrite(inner));
                    }
                }
                Child::Invert(inner) => children.push(Child::Invert(Box::new(match *inner {
                    Child::Rewrite(rewrite) => Child::Rewrite(rewrite.simplified()),
                    other => other,
                }))),
                other => children.push(other),
            }
        }
        Rewrite { operator, children }
    }
}

/// The namespace named `name` (the first, when declared twice).
pub fn find<'a>(namespaces: &'a [Namespace], name: &[u8]) -> Option<&'a Namespace> {
    namespaces.iter().find(|n| n.name == name)
}

impl Namespace {
    pub fn relation(&self, name: &[u8]) -> Option<&Relation> {
        self.relations.iter().find(|r| r.name == name)
    }
}
