//! The global options of SPEC §5, resolved once: the store, the actor or viewer, the clock, the output.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::exit;
use crate::model::Who;
use crate::render::Style;
use crate::store::Store;

#[derive(Debug)]
pub struct Context {
    store_dir: Option<PathBuf>,
    pub as_who: Option<String>,
    pub format: Format,
    /// The clock of this run: every timestamp tkt writes, unless a ticket's latest entry is later.
    pub now: DateTime<Utc>,
    /// Whether the clock was given (`--now`, `TKT_NOW`) rather than read from the system.
    pub now_given: bool,
    pub quiet: bool,
    pub style: Style,
    /// Whether stdout is a terminal (tables degrade to plain text when it is not).
    pub terminal: bool,
    /// The pager for long output: only on a terminal, and not with `--no-pager`.
    pager: Option<String>,
    /// `--jq EXPR`: the JSON output, filtered.
    jq: Option<String>,
    /// `--commit`: every write is also a git commit of the files it changed.
    pub commit: bool,
    /// What this run wrote, for auto-commit; every store the context opens records into it.
    pub journal: crate::store::journal::Journal,
    /// `git config user.email`, looked up once, when `identity_from_git` asks for it.
    git_email: std::sync::OnceLock<Option<String>>,
}

impl Context {
    pub fn from_args(args: &GlobalArgs) -> anyhow::Result<Context> {
        // An empty TKT_NOW or TKT_STORE counts as unset, as in most tools.
        let given = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
        let now_given = given(&args.now).is_some();
        let now = match given(&args.now) {
            Some(text) => DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    exit::usage(format!(
                        "--now/TKT_NOW: {text:?} is not an RFC 3339 time such as 2026-03-02T09:00:00Z"
                    ))
                })?,
            None => Utc::now().trunc_subsecs(0),
        };
        let terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        let pager = if terminal && !args.no_pager {
            let pager = std::env::var("PAGER").ok();
            crate::pager::choose(pager.as_deref())
        } else {
            None
        };
        if let Some(expr) = &args.jq {
            crate::render::jq::check(expr)?;
        }
        Ok(Context {
            store_dir: args.store.clone().filter(|p| !p.as_os_str().is_empty()),
            // An empty --as or TKT_AS is an error, never "no viewer": `--as "$CUSTOMER"` with an empty
            // variable must not show a customer the staff view.
            as_who: args.as_who.clone(),
            format: if args.jq.is_some() {
                Format::Json
            } else {
                args.format
            },
            now,
            now_given,
            quiet: args.quiet,
            style: Style {
                color,
                width: if terminal {
                    terminal_width().map_or(78, |w| w.clamp(20, 78))
                } else {
                    78
                },
            },
            terminal,
            pager,
            jq: args.jq.clone(),
            commit: args.commit,
            journal: Default::default(),
            git_email: Default::default(),
        })
    }

    /// The store directory named by `--store` or `TKT_STORE`, if any.
    pub fn store_dir(&self) -> Option<&std::path::Path> {
        self.store_dir.as_deref()
    }

    /// Opens the store. When its settings or people file cannot be read, only someone who may be staff
    /// hears why: no `--as` (the operator) or an `--as` that the people file, read as leniently as it
    /// can be, names as staff. Anyone else gets one line that quotes nothing from those files.
    pub fn store(&self) -> anyhow::Result<Store> {
        let root = crate::store::discover(self.store_dir.as_deref())?;
        let mut store = Store::open(root.clone()).map_err(|err| match &self.as_who {
            Some(who) if !crate::store::fallback::names_staff(&root, who) => exit::invalid(
                "this desk's settings cannot be read; nothing was changed (ask the desk's staff)",
            ),
            _ => err,
        })?;
        store.journal = self.journal.clone();
        // Settings are the desk's own: a typo in them is for staff to hear, not customers. The store
        // is open, so its directory says who is staff.
        let staff = self
            .viewer(&store)
            .is_ok_and(|v| v.is_none_or(|w| w.is_staff()));
        if staff {
            store
                .settings
                .unknown_keys()
                .iter()
                .for_each(|t| self.warn(t));
        }
        Ok(store)
    }

    /// The person making a change: `--as`, `TKT_AS`, the person `git config user.email` names (with
    /// `identity_from_git`), or the store's `default_as`. A change with no actor is refused.
    pub fn actor(&self, store: &Store) -> anyhow::Result<Who> {
        let who = self.find_actor(store)?;
        self.journal.acted_by(&who);
        Ok(who)
    }

    fn find_actor(&self, store: &Store) -> anyhow::Result<Who> {
        if let Some(text) = &self.as_who {
            return store.people.resolve(text, "--as");
        }
        if let Some(who) = self.git_actor(store)? {
            return Ok(who);
        }
        match &store.settings.default_as {
            Some(text) => store.people.resolve(text, "default_as in tkt.yaml"),
            None => {
                let git = match self.git_email(store)? {
                    Some(email) => {
                        format!("; git config user.email {email} is nobody's in people.yaml")
                    }
                    None if store.settings.identity_from_git => {
                        "; identity_from_git is on but git config user.email is not set".into()
                    }
                    None => String::new(),
                };
                Err(exit::usage(format!(
                    "no actor: say who is acting with --as WHO (or TKT_AS, or default_as in tkt.yaml){git}"
                )))
            }
        }
    }

    /// `git config user.email` in the store's directory, when the store's `identity_from_git` asks for it.
    fn git_email(&self, store: &Store) -> anyhow::Result<Option<String>> {
        if !store.settings.identity_from_git {
            return Ok(None);
        }
        if let Some(email) = self.git_email.get() {
            return Ok(email.clone());
        }
        let email = crate::git::user_email(&store.root)?;
        Ok(self.git_email.get_or_init(|| email).clone())
    }

    /// The person in people.yaml whose address is `git config user.email`, when the store's
    /// `identity_from_git` is on.
    fn git_actor(&self, store: &Store) -> anyhow::Result<Option<Who>> {
        let Some(email) = self.git_email(store)? else {
            return Ok(None);
        };
        match store.people.by_email(&email) {
            Some(person) => store
                .people
                .resolve(&person.email, "git config user.email")
                .map(Some),
            None => Ok(None),
        }
    }

    /// The person making a change if anyone is named (`--as`, `TKT_AS`, identity from git,
    /// `default_as`); None when nobody is, as when the store is being set up.
    pub fn optional_actor(&self, store: &Store) -> anyhow::Result<Option<Who>> {
        if self.as_who.is_none()
            && store.settings.default_as.is_none()
            && self.git_actor(store)?.is_none()
        {
            return Ok(None);
        }
        self.actor(store).map(Some)
    }

    /// The person reading: `--as` or `TKT_AS`, never `default_as`; None means the full staff view.
    pub fn viewer(&self, store: &Store) -> anyhow::Result<Option<Who>> {
        self.as_who
            .as_deref()
            .map(|text| store.people.resolve(text, "--as"))
            .transpose()
    }

    /// Writes to stdout; a closed pipe ends the run quietly (see `main`).
    pub fn out(&self, text: &str) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()?;
        Ok(())
    }

    /// Prints `value` as one JSON or YAML document, or `text()` in text mode.
    pub fn emit(
        &self,
        value: &impl Serialize,
        text: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        match self.format {
            Format::Text => self.out(&text()),
            format => self.print_document(format, value, false),
        }
    }

    /// What a write answers. The write has happened: a `--jq` expression that fails on the answer is
    /// a warning, never an error, so a script that retries on failure does not write twice.
    pub fn answer(
        &self,
        value: &impl Serialize,
        text: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        match self.emit(value, text) {
            Err(err) if self.jq.is_some() && !is_broken_pipe(&err) => {
                self.warn(&format!("{err:#} (the change itself was made)"));
                Ok(())
            }
            other => other,
        }
    }

    /// Prints one JSON or YAML document (through the pager if `paged`); with `--jq`, what the
    /// expression makes of the JSON one, written as it comes. On a terminal, JSON writes the
    /// sanitizer's characters as `\uXXXX` escapes (the same JSON, safe to look at) and raw `--jq`
    /// strings pass the sanitizer itself.
    fn print_document(
        &self,
        format: Format,
        value: &impl Serialize,
        paged: bool,
    ) -> anyhow::Result<()> {
        let mut doc = crate::render::document(format, value)?;
        if let Some(expr) = &self.jq {
            let shown: fn(String) -> String = if self.terminal {
                |s| crate::render::sanitize::block(&s).join("\n")
            } else {
                |s| s
            };
            return crate::render::jq::run(expr, &doc, &mut std::io::stdout(), shown);
        }
        if self.terminal && format == Format::Json {
            doc = crate::render::json::escape_unsafe(&doc);
        }
        if paged {
            self.write_text(|out| out.write_all(doc.as_bytes()))
        } else {
            self.out(&doc)
        }
    }

    /// Writes long text output piece by piece (tables) instead of building it whole, through the pager
    /// on a terminal.
    pub fn write_text(
        &self,
        text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        match &self.pager {
            Some(pager) => crate::pager::page(pager, text)?,
            None => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                text(&mut out)?;
                out.flush()?;
            }
        }
        Ok(())
    }

    /// Like `emit`, for output that may be long (a ticket, a listing): through the pager on a terminal.
    pub fn emit_long<T: Serialize>(
        &self,
        value: impl FnOnce() -> T,
        text: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        self.emit_long_to(value, |out| out.write_all(text().as_bytes()))
    }

    /// `emit_long` with the text view written piece by piece (a long ticket is never built whole).
    pub fn emit_long_to<T: Serialize>(
        &self,
        value: impl FnOnce() -> T,
        text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        match self.format {
            Format::Text => self.write_text(text),
            format => self.print_document(format, &value(), true),
        }
    }

    /// How tables are laid out: fitted to the terminal's width, or tab-separated when piped.
    pub fn layout(&self) -> crate::render::table::Layout {
        use crate::render::table::Layout;
        if self.terminal {
            Layout::Terminal {
                width: terminal_width().unwrap_or(80),
            }
        } else {
            Layout::Piped
        }
    }

    /// A confirmation on stderr, silenced by `--quiet`.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            say(message);
        }
    }

    /// A warning on stderr; always shown.
    pub fn warn(&self, message: &str) {
        say(&format!("warning: {message}"));
    }
}

/// The terminal's width in columns, if it reports a usable one.
fn terminal_width() -> Option<usize> {
    comfy_table::Table::new()
        .width()
        .map(usize::from)
        .filter(|&w| w > 0)
}

/// `tkt list | head` closing the pipe early is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line on stderr. A closed stderr is not worth dying for: the work is done, and `eprintln!` would
/// panic.
///
/// Every line passes the one sanitizer: messages quote names, tags and file contents that strangers wrote.
pub fn say(line: &str) {
    let line = crate::render::sanitize::line(line);
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
