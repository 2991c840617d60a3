//! The store's `templates/` directory: reading template files (`model::template`). Every file goes
//! through the guarded YAML reader, and a broken one is an error naming the file and its line.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::exit;
use crate::model::template::{self, Template};
use crate::store::{Store, read_text, real_dir, regular_file};

/// The directory of templates in a store.
pub const TEMPLATES_DIR: &str = "templates";

impl Store {
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    /// The template `name` (a valid name: `model::template::check_name`). Exit 3 listing the names there
    /// are when there is no such file; exit 5 naming the file and line when it is broken.
    pub fn template(&self, name: &str) -> anyhow::Result<Template> {
        let path = self.templates_dir().join(format!("{name}.yaml"));
        if !self.has_templates_dir()? || !regular_file(&path, "template file")? {
            let names = self.template_names()?;
            let there = if names.is_empty() {
                format!(
                    "there are none in {} (`tkt init` writes the examples)",
                    self.templates_dir().display()
                )
            } else {
                format!("the templates are {}", names.join(", "))
            };
            return Err(exit::not_found(format!(
                "--template: no template {name:?}; {there}"
            )));
        }
        read_template(&path)
    }

    /// Every template, by name, each read or the error that names what is wrong with its file.
    pub fn templates(&self) -> anyhow::Result<Vec<(String, anyhow::Result<Template>)>> {
        let mut all = Vec::new();
        for name in self.template_files()? {
            let path = self.templates_dir().join(&name);
            let stem = name.trim_end_matches(".yaml").to_string();
            let read = match template::check_name(&stem) {
                Ok(()) => regular_file(&path, "template file").and_then(|_| read_template(&path)),
                Err(why) => Err(exit::invalid(format!("{}: {why}", path.display()))),
            };
            all.push((stem, read));
        }
        Ok(all)
    }

    /// The names of the templates there are (files with a valid name), sorted.
    pub fn template_names(&self) -> anyhow::Result<Vec<String>> {
        Ok(self
            .template_files()?
            .into_iter()
            .map(|f| f.trim_end_matches(".yaml").to_string())
            .filter(|stem| template::check_name(stem).is_ok())
            .collect())
    }

    /// Whether `templates/` is there. It must be a real directory: nothing is read through a link
    /// inside the store (exit 5 otherwise).
    fn has_templates_dir(&self) -> anyhow::Result<bool> {
        real_dir(&self.templates_dir(), "directory of templates")
    }

    /// The `*.yaml` file names in `templates/`, sorted; hidden files (an editor's, tkt's own temporary
    /// files) are not templates.
    fn template_files(&self) -> anyhow::Result<Vec<String>> {
        if !self.has_templates_dir()? {
            return Ok(Vec::new());
        }
        let dir = self.templates_dir();
        let mut names = Vec::new();
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if name.ends_with(".yaml") && !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }
}

/// Reads and checks one template file.
fn read_template(path: &Path) -> anyhow::Result<Template> {
    let text = read_text(path)?;
    if text.trim().is_empty() {
        return Err(exit::invalid(format!(
            "{}: the file is empty",
            path.display()
        )));
    }
    let template: Template = crate::yaml::from_str(&text)
        .map_err(|e| exit::invalid(format!("{}: {e}", path.display())))?;
    template.validate().map_err(|finding| {
        let line = match &finding.quote {
            Some(quote) => text
                .lines()
                .position(|l| !l.trim_start().starts_with('#') && l.contains(quote.as_str()))
                .map(|i| i + 1),
            None => None,
        }
        .or_else(|| crate::yaml::line_of(&text, &finding.field));
        match line {
            Some(line) => exit::invalid(format!("{}: line {line}: {finding}", path.display())),
            None => exit::invalid(format!("{}: {finding}", path.display())),
        }
    })?;
    Ok(template)
}

/// The domain's three macros, which `tkt init` writes into `templates/` (file name, text). They name
/// no participants: a new store has no people yet, so the command line gives `--with` until the desk
/// writes its own handles under `with:`.
pub const EXAMPLES: [(&str, &str); 3] = [
    ("escalate.yaml", ESCALATE),
    ("ask-billing.yaml", ASK_BILLING),
    ("product-feedback.yaml", PRODUCT_FEEDBACK),
];

const ESCALATE: &str = r#"# A template (the domain's macro "Escalate to Team Leader"): a side conversation with your team lead,
# who reads the whole ticket there and can take it over. Use it with
#   tkt side open ID --template escalate --with LEAD
# or write your team lead's handle below (with: [mette]) and leave out --with.
# Placeholders: {{id}} {{subject}} {{requester}} {{assignee}}.
title: Escalate to team lead
for: side
subject: "Escalation: {{subject}}"
# with: [LEAD]
tags: [escalated]
body: >
  Hi, ticket #{{id}} ("{{subject}}") requires your attention: {{requester}} is very dissatisfied and
  the situation risks escalating. The whole conversation and our internal notes are on the ticket.
  Could you please take over, or tell me how you want it answered? I am still available if you need
  input from my conversation with the customer.
"#;

const ASK_BILLING: &str = r#"# A template: ask billing about an invoice in a side conversation, instead of an email that leaves
# the ticket. Use it with
#   tkt side open ID --template ask-billing --with BILLING
# or write the billing contact's handle below (with: [kasper]) and leave out --with.
# Placeholders: {{id}} {{subject}} {{requester}} {{assignee}}.
title: Ask billing
for: side
subject: "Invoice question: {{subject}}"
# with: [BILLING]
tags: [billing]
body: >
  Hi, {{requester}} has a question about an invoice on ticket #{{id}} ("{{subject}}"); their own
  words are in the ticket. Could you check the invoice in billing and tell me what is right, so
  that I can give the customer a precise answer? Nothing has been promised to them yet.
"#;

const PRODUCT_FEEDBACK: &str = r#"# A template: pass a customer's idea or a usability problem to the product owner, with the ticket
# as its context, so that the feedback is not lost in an inbox. Use it with
#   tkt side open ID --template product-feedback --with OWNER
# or write the product owner's handle below (with: [lise]) and leave out --with.
# Placeholders: {{id}} {{subject}} {{requester}} {{assignee}}.
title: Product feedback
for: side
subject: "Product feedback: {{subject}}"
# with: [OWNER]
tags: [feedback]
body: >
  Hi, take a look at ticket #{{id}} ("{{subject}}"). {{requester}} is suggesting something that
  would really make a difference for them; you can read their wording in the ticket. Do you think it
  should be considered for the roadmap?
"#;
