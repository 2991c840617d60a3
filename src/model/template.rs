//! Templates, the domain's macros: a prepared side conversation or comment (subject, participants, tags,
//! body) kept as `templates/NAME.yaml` in the store, and filling its placeholders from a ticket. Filling
//! is all or nothing: a message is never posted half filled.

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::address::{is_valid_email, is_valid_handle};
use crate::model::event::{Event, Member};
use crate::model::text::{check_single_line, check_subject, check_tag};
use crate::model::ticket::Time;
use crate::model::{People, Ticket, Visibility, naming};

/// What a template prepares: a side conversation (`tkt side open --template`) or a comment
/// (`tkt comment --template`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    Side,
    Comment,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Side => "side",
            Purpose::Comment => "comment",
        }
    }
}

/// A template file. Every key is known: a misspelt one (`visiblity:`) is an error naming it, never a
/// silently ignored line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// What `tkt template list` shows ("Escalate to team lead").
    pub title: String,
    #[serde(rename = "for")]
    pub purpose: Purpose,
    /// The side conversation's subject (side templates only); may hold placeholders.
    #[serde(default)]
    pub subject: Option<String>,
    /// The side conversation's participants (side templates only): handles or addresses of staff.
    #[serde(default)]
    pub with: Vec<String>,
    /// The comment's visibility (comment templates only); internal unless the template says public.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// Tags added to the ticket when the template is used.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The message; may hold placeholders.
    pub body: String,
}

/// Something wrong in a template file: the field (`body`, `tags[1]`) and what, and the text as written
/// where the file shows it (a placeholder), so the reader can name its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub field: String,
    pub message: String,
    pub quote: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The placeholders a template may hold, as written between `{{` and `}}`.
pub const PLACEHOLDERS: [&str; 4] = ["id", "subject", "requester", "assignee"];

/// Whether `name` may name a template: lower-case letters, digits and `-`, as its file stem. It never
/// names a path.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a template name (lower-case letters, digits and -, as in ask-billing)"
        ))
    }
}

impl Template {
    /// What serde cannot check: fields that belong to the other purpose, one-line title and subject,
    /// valid tags and participants, a body, and only known placeholders.
    pub fn validate(&self) -> Result<(), Finding> {
        let finding = |field: &str, message: String| Finding {
            field: field.to_string(),
            message,
            quote: None,
        };
        check_single_line(&self.title).map_err(|e| finding("title", e))?;
        if self.title.trim().is_empty() {
            return Err(finding("title", "a title must say something".into()));
        }
        match self.purpose {
            Purpose::Side => {
                if self.visibility.is_some() {
                    return Err(finding(
                        "visibility",
                        "only a comment template has a visibility (a side conversation is internal)"
                            .into(),
                    ));
                }
            }
            Purpose::Comment => {
                if self.subject.is_some() {
                    return Err(finding(
                        "subject",
                        "only a side template has a subject".into(),
                    ));
                }
                if !self.with.is_empty() {
                    return Err(finding(
                        "with",
                        "only a side template has participants".into(),
                    ));
                }
            }
        }
        if let Some(subject) = &self.subject {
            check_subject(subject).map_err(|e| finding("subject", e))?;
        }
        for (i, who) in self.with.iter().enumerate() {
            let valid = if who.contains('@') {
                is_valid_email(who)
            } else {
                is_valid_handle(&who.to_ascii_lowercase())
            };
            if !valid {
                return Err(finding(
                    &format!("with[{i}]"),
                    format!("{who:?} is neither a handle nor an email address"),
                ));
            }
        }
        for (i, tag) in self.tags.iter().enumerate() {
            check_tag(tag).map_err(|e| finding(&format!("tags[{i}]"), format!("{tag:?}: {e}")))?;
        }
        if self.body.trim().is_empty() {
            return Err(finding("body", "the body is empty".into()));
        }
        for (field, text) in [
            ("subject", self.subject.as_deref()),
            ("body", Some(&self.body)),
        ] {
            let Some(text) = text else { continue };
            if let Some(unknown) = placeholders(text)
                .into_iter()
                .find(|p| !PLACEHOLDERS.contains(&p.name))
            {
                return Err(Finding {
                    field: field.to_string(),
                    message: format!(
                        "unknown placeholder {} (the placeholders are {})",
                        unknown.written,
                        PLACEHOLDERS.map(|p| format!("{{{{{p}}}}}")).join(", ")
                    ),
                    quote: Some(unknown.written.to_string()),
                });
            }
        }
        Ok(())
    }

    /// The subject and body filled from `values`: both whole, or why not.
    pub fn fill(&self, values: &Values) -> Result<Filled, Unfilled> {
        Ok(Filled {
            subject: self
                .subject
                .as_deref()
                .map(|s| fill(s, values))
                .transpose()?,
            // As a body given with -m: no trailing line breaks (a YAML block scalar ends with one).
            body: fill(&self.body, values)?.trim_end().to_string(),
        })
    }
}

/// A template's text with its placeholders filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub subject: Option<String>,
    pub body: String,
}

/// Why a template could not be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfilled {
    /// A placeholder no ticket fills (`{{asignee}}`), as written.
    Unknown(String),
    /// The ticket has no value for it: `assignee` on an unassigned ticket.
    Missing {
        ticket: u64,
        placeholder: &'static str,
    },
}

impl std::fmt::Display for Unfilled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unfilled::Unknown(written) => write!(f, "unknown placeholder {written}"),
            Unfilled::Missing {
                ticket,
                placeholder: "assignee",
            } => write!(
                f,
                "#{ticket} has no assignee: assign it first, or write the message yourself"
            ),
            Unfilled::Missing {
                ticket,
                placeholder,
            } => write!(
                f,
                "#{ticket} has no {placeholder}: write the message yourself"
            ),
        }
    }
}

/// What the placeholders stand for on one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    pub id: u64,
    pub subject: String,
    /// The requester's name as staff see it, else their address.
    pub requester: String,
    /// The assignee's name, else their handle; None when nobody is assigned.
    pub assignee: Option<String>,
}

impl Values {
    /// The values of ticket `t`, naming people as staff see them (templates are staff's tools).
    pub fn of(t: &Ticket, people: &People) -> Values {
        let requester = naming::for_staff(t, &t.requester, people);
        let assignee = t.assignee.as_deref().map(|handle| {
            people
                .by_handle(handle)
                .map_or_else(|| handle.to_string(), |p| p.name.clone())
        });
        Values {
            id: t.id,
            subject: t.subject.clone(),
            requester: requester
                .name
                .or(requester.email)
                .unwrap_or_else(|| t.requester.clone()),
            assignee,
        }
    }

    fn get(&self, name: &str) -> Result<String, Option<&'static str>> {
        match name {
            "id" => Ok(self.id.to_string()),
            "subject" => Ok(self.subject.clone()),
            "requester" => Ok(self.requester.clone()),
            "assignee" => self.assignee.clone().ok_or(Some("assignee")),
            _ => Err(None),
        }
    }
}

/// One placeholder in a text: where it is, as written, and the name inside (spaces trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placeholder<'a> {
    at: Range<usize>,
    written: &'a str,
    name: &'a str,
}

/// The placeholders in `text`, in order: `{{`, then anything but braces and line breaks, then `}}`.
/// A lone `{`, braces spanning lines, or `{{` never closed on its line are text, not placeholders;
/// `{{{id}}}` is a brace around `{{id}}`.
fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let inner_start = open + 2;
        let inner_len = text[inner_start..]
            .find(['{', '}', '\n', '\r'])
            .unwrap_or(text.len() - inner_start);
        let close = inner_start + inner_len;
        if text[close..].starts_with("}}") {
            let inner = &text[inner_start..close];
            found.push(Placeholder {
                at: open..close + 2,
                written: &text[open..close + 2],
                name: inner.trim(),
            });
            from = close + 2;
        } else {
            from = open + 1;
        }
    }
    found
}

/// `text` with every placeholder replaced by its value; an unknown placeholder or a missing value is
/// an error, never a gap.
pub fn fill(text: &str, values: &Values) -> Result<String, Unfilled> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in placeholders(text) {
        let value = values.get(p.name).map_err(|missing| match missing {
            Some(placeholder) => Unfilled::Missing {
                ticket: values.id,
                placeholder,
            },
            None => Unfilled::Unknown(p.written.to_string()),
        })?;
        out.push_str(&text[last..p.at.start]);
        out.push_str(&value);
        last = p.at.end;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Adds a template's tags to the ticket (each one it lacks, recorded as `tag.add`); the ticket's tags
/// after, or None for a template without tags (nothing to tell).
pub fn add_tags(t: &mut Ticket, template: &Template, by: &str, at: Time) -> Option<Vec<String>> {
    if template.tags.is_empty() {
        return None;
    }
    for tag in &template.tags {
        if !t.tags.contains(tag) {
            t.tags.push(tag.clone());
            t.record(Event::added(at, by, Member::Tag, tag));
        }
    }
    Some(t.tags.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(assignee: Option<&str>) -> Values {
        Values {
            id: 7,
            subject: "Invoice 12345".into(),
            requester: "Ana Silva".into(),
            assignee: assignee.map(String::from),
        }
    }

    fn side(body: &str) -> Template {
        Template {
            title: "Ask billing".into(),
            purpose: Purpose::Side,
            subject: Some("Billing: {{subject}}".into()),
            with: vec!["kasper".into()],
            visibility: None,
            tags: vec!["billing".into()],
            body: body.into(),
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        let got = fill(
            "#{{id}} {{subject}} from {{ requester }}, owned by {{assignee}}",
            &values(Some("Jonas Berg")),
        );
        assert_eq!(
            got.unwrap(),
            "#7 Invoice 12345 from Ana Silva, owned by Jonas Berg"
        );
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_gap() {
        let got = fill("Over to you, {{assignee}}.", &values(None));
        let err = got.unwrap_err();
        assert_eq!(
            err.to_string(),
            "#7 has no assignee: assign it first, or write the message yourself"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_naming_it() {
        let err = fill("Hi {{asignee}}", &values(Some("Jonas Berg"))).unwrap_err();
        assert_eq!(err, Unfilled::Unknown("{{asignee}}".into()));
        let finding = side("Hi {{asignee}}").validate().unwrap_err();
        assert_eq!(finding.field, "body");
        assert!(finding.message.contains("{{asignee}}"), "{finding}");
        assert_eq!(finding.quote.as_deref(), Some("{{asignee}}"));
    }

    #[test]
    fn braces_that_are_no_placeholder_are_text() {
        for text in [
            "a { brace",
            "{\"json\": {\"a\": 1}}",
            "{{ never closed",
            "{{ across\nlines }}",
            "}} {{",
        ] {
            assert_eq!(fill(text, &values(None)).unwrap(), text, "{text:?}");
        }
        assert_eq!(fill("{{{id}}}", &values(None)).unwrap(), "{7}");
    }

    #[test]
    fn fields_of_the_other_purpose_are_refused() {
        let mut t = side("Hi");
        t.visibility = Some(Visibility::Public);
        assert_eq!(t.validate().unwrap_err().field, "visibility");
        let mut c = side("Hi");
        c.purpose = Purpose::Comment;
        assert_eq!(c.validate().unwrap_err().field, "subject");
        c.subject = None;
        assert_eq!(c.validate().unwrap_err().field, "with");
        c.with.clear();
        assert!(c.validate().is_ok());
        let mut bad_tag = side("Hi");
        bad_tag.tags.push("two words".into());
        assert_eq!(bad_tag.validate().unwrap_err().field, "tags[1]");
    }

    #[test]
    fn template_names_are_file_stems_never_paths() {
        for good in ["escalate", "ask-billing", "v2"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "../x", "a/b", "Escalate", "-x", "a.yaml", "a b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
