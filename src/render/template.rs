//! `tkt template list`: the store's templates as text (name, what for, title) and as the `templates`
//! JSON document (everything a template holds, unfilled).

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Visibility;
use crate::model::template::{Purpose, Template};
use crate::render::sanitize::line;

/// A template as `template list --format json` gives it: every key present, null or empty where the
/// template has no value.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename = "Template", deny_unknown_fields)]
pub struct TemplateDoc {
    /// The name to give `--template` (the file's name in `templates/` without `.yaml`).
    pub name: String,
    /// `side` (for `side open`) or `comment` (for `comment`).
    #[serde(rename = "for")]
    pub purpose: Purpose,
    pub title: String,
    /// The side conversation's subject, placeholders unfilled; null for comment templates.
    pub subject: Option<String>,
    /// The side conversation's participants as written (handles); empty when left to `--with`.
    pub with: Vec<String>,
    /// The comment's visibility; null for side templates.
    pub visibility: Option<Visibility>,
    /// Tags added to the ticket.
    pub tags: Vec<String>,
    /// The message, placeholders unfilled.
    pub body: String,
}

pub fn template_doc(name: &str, t: &Template) -> TemplateDoc {
    TemplateDoc {
        name: name.to_string(),
        purpose: t.purpose,
        title: t.title.clone(),
        subject: t.subject.clone(),
        with: t.with.clone(),
        visibility: match t.purpose {
            Purpose::Comment => Some(t.visibility.unwrap_or(Visibility::Internal)),
            Purpose::Side => None,
        },
        tags: t.tags.clone(),
        body: t.body.clone(),
    }
}

/// One line per template: its name, what it is for and its title, in columns.
pub fn list(templates: &[TemplateDoc]) -> String {
    let width = templates.iter().map(|t| t.name.len()).max().unwrap_or(0) + 2;
    templates
        .iter()
        .map(|t| {
            format!(
                "{:<width$}{:<9}{}\n",
                t.name,
                t.purpose.as_str(),
                line(&t.title)
            )
        })
        .collect()
}
