//! One permission expression: `this.related.r.includes(ctx.subject)`,
//! `this.related.r.traverse((x) => x.related.s.includes(ctx.subject))`,
//! `this.permits.p(ctx)`, with `["name"]` wherever `.name` is.

use super::super::ast::Child;
use super::super::checks::Check;
use super::{is_punct, quoted, text, unread, Item, Parser};

/// Where a property's name goes: any token, or a name or string.
enum Property<'a> {
    Any(&'a mut Item),
    Name(&'a mut Vec<u8>),
}

impl Property<'_> {
    fn reborrow(&mut self) -> Property<'_> {
        match self {
            Property::Any(item) => Property::Any(item),
            Property::Name(name) => Property::Name(name),
        }
    }
}

impl Parser {
    fn property(&mut self, into: Property<'_>) -> bool {
        match into {
            Property::Any(item) => self.any(item),
            Property::Name(name) => self.name(name),
        }
    }

    /// `[name]` or `.name`.
    fn property_access(&mut self, mut into: Property<'_>) -> bool {
        if !self.fatal
            && is_punct(&self.peek(), "[")
            && self.token("[")
            && self.property(into.reborrow())
            && self.token("]")
        {
            return true;
        }
        self.token(".") && self.property(into)
    }

    fn current_has(&mut self, relation: &Item) {
        self.checks.push(Check::CurrentHasRelation(self.namespace.name.clone(), relation.clone()));
    }

    pub(super) fn expression(&mut self) -> Option<Child> {
        let (mut verb, mut name) = (unread(), unread());
        if !(self.tokens(&["this", "."]) && self.any(&mut verb) && self.property_access(Property::Any(&mut name))) {
            return None;
        }
        match verb.val.as_slice() {
            b"related" => {
                if !self.token(".") {
                    return None;
                }
                let item = self.next();
                match item.val.as_slice() {
                    b"traverse" => self.traverse(name),
                    b"includes" => self.includes(name),
                    _ => {
                        let message = text(&[b"expected 'traverse' or 'includes', got ", quoted(&item.val).as_bytes()]);
                        self.fatal(item, message);
                        None
                    }
                }
            }
            b"permits" => {
                if !self.tokens(&["(", "ctx", ")"]) {
                    return None;
                }
                self.current_has(&name);
                Some(Child::Computed(name.val))
            }
            _ => {
                let message = text(&[b"expected 'related' or 'permits', got ", quoted(&verb.val).as_bytes()]);
                self.fatal(verb, message);
                None
            }
        }
    }

    /// `(x) => x.related.s.includes(ctx.subject))` or `x => x.permits.p(ctx))`.
    fn traverse(&mut self, relation: Item) -> Option<Child> {
        let (mut parameter, mut verb, mut computed) = (unread(), unread(), Vec::new());
        if !self.token("(") {
            return None;
        }
        let parenthesized = !self.fatal
            && is_punct(&self.peek(), "(")
            && self.token("(")
            && self.any(&mut parameter)
            && self.token(")");
        if !parenthesized && !self.any(&mut parameter) {
            return None;
        }
        let _ = self.token("=>") && self.token(&parameter.val) && self.token(".") && self.any(&mut verb);
        match verb.val.as_slice() {
            b"related" => {
                if !self.property_access(Property::Name(&mut computed)) {
                    return None;
                }
                let _ = self.tokens(&[".", "includes", "(", "ctx", ".", "subject"])
                    && self.optional(&[","])
                    && self.token(")")
                    && self.optional(&[","])
                    && self.token(")");
            }
            b"permits" => {
                if !self.property_access(Property::Name(&mut computed)) {
                    return None;
                }
                self.tokens(&["(", "ctx", ")", ")"]);
            }
            _ => {
                let message = text(&[b"expected 'related' or 'permits', got ", quoted(&verb.shown()).as_bytes()]);
                self.fatal(verb, message);
                return None;
            }
        }
        self.checks.push(Check::AllTypesHave(self.namespace.name.clone(), relation.clone(), computed.clone()));
        self.current_has(&relation);
        Some(Child::Traverse { relation: relation.val, computed })
    }

    /// `(ctx.subject)`.
    fn includes(&mut self, relation: Item) -> Option<Child> {
        if !self.tokens(&["(", "ctx", ".", "subject", ")"]) {
            return None;
        }
        self.current_has(&relation);
        Some(Child::Computed(relation.val))
    }
}
