//! The command line of SPEC §5, as clap definitions. Every `///` here is what `--help` prints.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::query::{Moment, SortField};
use crate::model::{Priority, Role, Status};

#[derive(Debug, Parser)]
#[command(
    name = "tkt",
    version,
    about = "A help desk on the command line: every ticket is a YAML file.",
    long_about = "A help desk on the command line: every ticket is a YAML file.\n\n\
        tkt models CCs, followers, side conversations, public replies and internal notes, and shows a \
        ticket exactly as any chosen participant sees it (--as WHO)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The store directory [default: the nearest store from here upward]
    #[arg(
        short = 'C',
        long = "store",
        global = true,
        env = "TKT_STORE",
        value_name = "DIR",
        value_parser = store_dir
    )]
    pub store: Option<PathBuf>,
    /// Who is acting or viewing: a handle or an email address
    #[arg(long = "as", global = true, env = "TKT_AS", value_name = "WHO")]
    pub as_who: Option<String>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// A fixed clock (RFC 3339) for every timestamp tkt writes
    #[arg(long, global = true, env = "TKT_NOW", value_name = "TIME")]
    pub now: Option<String>,
    /// Say nothing on stderr but warnings and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to use colour (NO_COLOR turns `auto` off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Never page long output on a terminal ($PAGER, default `less -FRX`)
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// Filter the JSON output with a jq expression (implies --format json); strings print raw
    #[arg(long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,
    /// Also commit each change to git: exactly the files it changed
    #[arg(long, global = true)]
    pub commit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Yaml,
    /// An mbox file of mail messages (tkt inbox only)
    Mbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A store directory as given. An empty value is kept (and then counts as unset, like an empty
/// `TKT_STORE`) instead of being refused by clap's path parser.
fn store_dir(text: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(text))
}

/// A ticket id as typed: `42` or `#42`.
pub fn parse_ticket_id(text: &str) -> Result<u64, String> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a ticket number such as 42 or #42".into());
    }
    match digits.parse::<u64>() {
        Ok(0) | Err(_) => Err("expected a ticket number such as 42 or #42".into()),
        Ok(id) => Ok(id),
    }
}

/// A comment or side-conversation number as shown by `show` and `side list`.
pub fn parse_number(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n) if n > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err("expected a number such as 1 or 2".into()),
    }
}

/// A comment or side conversation as typed: its number (`3`) or an entry's stable 8-digit id
/// (`9f3a61c2`), which never changes when branches merge.
pub fn parse_entry_ref(text: &str) -> Result<String, String> {
    let number = parse_number(text).is_ok();
    let id = text.len() == 8 && text.bytes().all(|b| b.is_ascii_hexdigit());
    if number || id {
        Ok(text.to_ascii_lowercase())
    } else {
        Err("expected a number such as 3 or an entry id such as 9f3a61c2".into())
    }
}

/// A template's name as typed: a file stem in `templates/`, never a path.
pub fn parse_template_name(text: &str) -> Result<String, String> {
    crate::model::template::check_name(text).map(|()| text.to_string())
}

/// Where a message body comes from.
#[derive(Debug, Clone, Args)]
pub struct BodyArgs {
    /// The body text; `-` reads it from standard input. Repeat for more paragraphs (joined by a
    /// blank line, as git does)
    #[arg(
        short = 'm',
        long = "message",
        value_name = "TEXT",
        conflicts_with = "file",
        action = clap::ArgAction::Append
    )]
    pub message: Vec<String>,
    /// Read the body from a file (`-` for standard input)
    #[arg(short = 'F', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store: tkt.yaml, people.yaml, a .gitignore and the example templates/
    #[command(after_help = "Examples:\n  tkt init desk\n  tkt -C desk init")]
    Init {
        /// Where to create it [default: --store if given, else the current directory]
        dir: Option<PathBuf>,
    },
    /// The people directory
    #[command(
        after_help = "Examples:\n  tkt person add jonas --name \"Jonas Berg\" --email jonas@acme.example\n  tkt person list"
    )]
    #[command(subcommand)]
    Person(PersonCommand),
    /// Open a ticket; prints its id
    #[command(
        after_help = "Examples:\n  id=$(tkt --as jonas new --subject \"PDF export fails\" --requester ana@customer.example -m \"It crashes.\")\n  tkt --as jonas new --subject \"Invoice\" --requester ana@customer.example --priority high --tag billing -F mail.txt"
    )]
    New {
        /// What the ticket is about
        #[arg(long)]
        subject: String,
        /// The customer who asks (an external email address or end-user handle)
        #[arg(long, value_name = "EMAIL")]
        requester: String,
        /// The agent or admin who owns it
        #[arg(long, value_name = "WHO")]
        assignee: Option<String>,
        /// The team responsible
        #[arg(long, value_name = "NAME")]
        group: Option<String>,
        #[arg(long, value_enum, default_value_t = Priority::Normal)]
        priority: Priority,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// List tickets (only those the viewer may see); unsolved ones unless --all or --status
    #[command(
        after_help = "Examples:\n  tkt list --as jonas --assignee me --since 7d --search refund\n  tkt list --open-sides --sort updated --reverse --limit 10\n  tkt list --all --format json\n  tkt list | cut -f1,4"
    )]
    List(ListArgs),
    /// Show a ticket as the viewer sees it (no --as: the full staff view)
    #[command(after_help = "Examples:\n  tkt show 7\n  tkt show 7 --as ana@customer.example")]
    Show {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
    /// Add a public reply or an internal note
    #[command(
        after_help = "Examples:\n  tkt --as jonas comment 7 -m \"@mette can you review?\"\n  tkt --as jonas comment 7 --public -m \"Fixed in 2.1.\"\n  echo \"Thanks!\" | tkt --as ana@customer.example comment 7 -m -\n  tkt --as jonas comment 7 --template NAME"
    )]
    Comment {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// A public reply (staff comments are internal unless this is given)
        #[arg(long, conflicts_with = "internal")]
        public: bool,
        /// An internal note
        #[arg(long)]
        internal: bool,
        /// Post a public reply even though it repeats internal text or @mentions staff (the leak guard)
        #[arg(long)]
        force: bool,
        /// Fill the comment from templates/NAME.yaml (`tkt template list`) instead of -m or -F
        #[arg(long, value_name = "NAME", value_parser = parse_template_name, conflicts_with_all = ["message", "file"])]
        template: Option<String>,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Make a public comment internal (one-way)
    #[command(after_help = "Examples:\n  tkt --as jonas make-private 7 3")]
    MakePrivate {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The comment: its number, as `show` shows it to staff, or its stable id (`--format json`)
        #[arg(value_parser = parse_entry_ref)]
        comment: String,
    },
    /// CCs: people copied on the public conversation
    #[command(
        after_help = "Examples:\n  tkt --as jonas cc add 7 bob@agency.example --name \"Bob Field\"\n  tkt cc list 7"
    )]
    #[command(subcommand)]
    Cc(CcCommand),
    /// Followers: internal people who follow the ticket
    #[command(
        after_help = "Examples:\n  tkt --as jonas follower add 7 mette\n  tkt follower list 7"
    )]
    #[command(subcommand)]
    Follower(FollowerCommand),
    /// Side conversations: internal threads attached to a ticket
    #[command(
        after_help = "Examples:\n  tkt --as jonas side open 7 --subject \"Is 10.14 supported?\" --with anders -m \"Anders, do we support it?\"\n  tkt side list 7"
    )]
    #[command(subcommand)]
    Side(SideCommand),
    /// Templates (the domain's macros): prepared side conversations and comments in templates/
    #[command(
        after_help = "Examples:\n  tkt template list\n  tkt --as jonas side open 7 --template escalate --with mette\n  tkt --as jonas comment 7 --template NAME"
    )]
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Change a ticket's status
    #[command(
        after_help = "Examples:\n  tkt --as jonas status 7 pending\n  tkt --as jonas status 7 solved"
    )]
    Status {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The new status
        #[arg(value_enum)]
        status: Status,
    },
    /// Assign a ticket to an agent or admin
    #[command(
        after_help = "Examples:\n  tkt --as mette assign 7 jonas\n  tkt --as mette assign 7 --none"
    )]
    Assign {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The agent or admin: a handle or an email address
        #[arg(value_name = "WHO", required_unless_present = "none")]
        who: Option<String>,
        /// Leave the ticket unassigned
        #[arg(long, conflicts_with = "who")]
        none: bool,
    },
    /// Add or remove tags
    #[command(after_help = "Examples:\n  tkt --as jonas tag 7 --add billing --remove new")]
    Tag {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// Add a tag (repeat for more)
        #[arg(long, value_name = "TAG", required_unless_present = "remove")]
        add: Vec<String>,
        /// Remove a tag (repeat for more; removals happen before additions)
        #[arg(long, value_name = "TAG")]
        remove: Vec<String>,
    },
    /// Change a ticket's subject, priority, group or requester (agents and admins)
    #[command(group = clap::ArgGroup::new("fields").required(true).multiple(true))]
    #[command(
        after_help = "Examples:\n  tkt --as jonas edit 7 --priority high\n  tkt --as jonas edit 7 --subject \"PDF export fails on macOS\" --group \"\""
    )]
    Edit {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The new subject
        #[arg(long, group = "fields")]
        subject: Option<String>,
        /// The new priority
        #[arg(long, value_enum, group = "fields")]
        priority: Option<Priority>,
        /// The new group (`""` clears it)
        #[arg(long, value_name = "NAME", group = "fields")]
        group: Option<String>,
        /// The new requester (an external email address or end-user handle)
        #[arg(long, value_name = "WHO", group = "fields")]
        requester: Option<String>,
    },
    /// A ticket's history, one line per event (only what the viewer may see)
    #[command(
        after_help = "Examples:\n  tkt log 7\n  tkt log 7 --as ana@customer.example\n  tkt log 7 --format json --jq '.[] | select(.action == \"status\") | .at'"
    )]
    Log {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
    /// Who can see and who was told of each entry of a ticket (staff only)
    #[command(
        after_help = "Examples:\n  tkt audience 7\n  tkt audience 7 --format json --jq '.entries[] | select(.kind == \"comment\") | .told'"
    )]
    Audience {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
    /// Every notification WHO received, as mail (--format mbox), a list, or JSON
    #[command(
        after_help = "Examples:\n  tkt inbox --as ana@customer.example --format mbox > ana.mbox\n  tkt inbox --as mette\n  tkt inbox --as bob@agency.example --format json --jq '.[].subject'"
    )]
    Inbox,
    /// Take replies by email: each message becomes a public reply or an internal note by the email rules
    #[command(subcommand)]
    Mail(MailCommand),
    /// Keeping the store in git: the merge driver, its setup, and settling what a merge left
    #[command(
        after_help = "Examples:\n  tkt git setup\n  tkt git settle 42 --theirs subject\n  tkt git settle people --ours"
    )]
    #[command(subcommand)]
    Git(GitCommand),
    /// Give the newer of two tickets created as one id on two branches the next free id; prints it
    #[command(
        after_help = "Examples:\n  git pull   # CONFLICT (add/add): Merge conflict in tickets/43.yaml\n  tkt renumber 43"
    )]
    Renumber {
        /// The ticket id both branches created: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
    /// Validate the store: files, ids, people, limits, unknown keys, merge conflicts
    #[command(
        long_about = "Validate the store: every file parses and holds valid values, ids are unique and \
            match file names, who works on an unsolved ticket is staff in people.yaml, CCs keep cc_limit \
            and cc_blocklist, no merge conflict markers are left, no key is unknown (a typo such as \
            `folowers:`), and the git merge driver is registered where the attributes name it.\n\n\
            Each finding is one line on stdout, `FILE:LINE: error: message [code]` (or `warning:`), sorted \
            by file and line; a summary goes to stderr. Exit 5 if there is any error, 0 otherwise \
            (warnings alone pass).",
        after_help = "Examples:\n  tkt check\n  tkt -C tickets check --format json\n  tkt check tickets/42.yaml tickets/43.yaml\n  tkt check --staged          # in a pre-commit hook"
    )]
    Check(CheckArgs),
    /// Store-wide figures: tickets by status and assignee, side conversations, CCs and followers,
    /// notes and replies (staff only)
    #[command(
        after_help = "Examples:\n  tkt report --since 30d\n  tkt report --group \"Tier 2\" --since 2026-01-01 --until 2026-03-31\n  tkt report | grep '^participant'\n  tkt report --format json --jq '.side_conversations.percent'"
    )]
    Report(ReportArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  tkt completions bash > ~/.local/share/bash-completion/completions/tkt\n  tkt completions zsh > ~/.zfunc/_tkt\n  tkt completions fish > ~/.config/fish/completions/tkt.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of a kind of output document (no KIND: list the kinds)
    #[command(
        after_help = "Examples:\n  tkt schema\n  tkt schema ticket > ticket.schema.json\n  tkt schema answer --format yaml"
    )]
    Schema {
        /// The kind: ticket, external-ticket, list, person, people, side-conversations, answer, directory, log, person-answer, init
        kind: Option<String>,
    },
    /// Print the manual page (roff)
    #[command(
        after_help = "Examples:\n  tkt man | man -l -\n  tkt man > /usr/local/share/man/man1/tkt.1"
    )]
    Man,
}

/// `tkt list`'s filters. Each applies to what the viewer may see: a customer filtering on a staff-only
/// field (group, follower, priority) matches nothing.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only tickets with this status (repeat for any of several) [default: new, open, pending, on-hold]
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Vec<Status>,
    /// Every status, solved and closed too
    #[arg(long, conflicts_with = "status")]
    pub all: bool,
    /// Only tickets assigned to WHO (`me`: the --as person)
    #[arg(long, value_name = "WHO")]
    pub assignee: Option<String>,
    /// Only tickets nobody is assigned to
    #[arg(long, conflicts_with = "assignee")]
    pub unassigned: bool,
    /// Only tickets asked by WHO
    #[arg(long, value_name = "WHO")]
    pub requester: Option<String>,
    /// Only tickets with WHO as a CC
    #[arg(long, value_name = "WHO")]
    pub cc: Option<String>,
    /// Only tickets WHO follows
    #[arg(long, value_name = "WHO")]
    pub follower: Option<String>,
    /// Only tickets with this tag
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only tickets of this group (team), ignoring case
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Only tickets with this priority (repeat for any of several)
    #[arg(long, value_enum, value_name = "PRIORITY")]
    pub priority: Vec<Priority>,
    /// Only tickets with an open side conversation the viewer may see
    #[arg(long)]
    pub open_sides: bool,
    /// Only tickets whose subject or bodies the viewer may see hold TEXT (case of A-Z ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only tickets updated at or after TIME: 2026-03-02T09:00:00Z, 2026-03-02 (UTC), or 30m, 24h, 7d, 2w ago
    #[arg(long, value_name = "TIME", value_parser = Moment::parse)]
    pub since: Option<Moment>,
    /// Only tickets updated at or before TIME (a day includes all of it); same forms as --since
    #[arg(long, value_name = "TIME", value_parser = Moment::parse)]
    pub until: Option<Moment>,
    /// Order by this field, ascending; ties by id
    #[arg(long, value_enum, value_name = "FIELD", default_value_t = SortArg::Id)]
    pub sort: SortArg,
    /// Descending order (newest, most urgent, last status first)
    #[arg(long)]
    pub reverse: bool,
    /// At most N tickets (after sorting)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

/// `tkt report`'s range and group.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Only tickets created at or after TIME: 2026-03-02T09:00:00Z, 2026-03-02 (UTC), or 30m, 24h, 7d, 2w ago
    #[arg(long, value_name = "TIME", value_parser = Moment::parse)]
    pub since: Option<Moment>,
    /// Only tickets created at or before TIME (a day includes all of it); same forms as --since
    #[arg(long, value_name = "TIME", value_parser = Moment::parse)]
    pub until: Option<Moment>,
    /// Only tickets of this group (team), ignoring case
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
}

/// What `--sort` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Id,
    Updated,
    Created,
    Priority,
    Status,
}

impl SortArg {
    pub fn field(self) -> SortField {
        match self {
            SortArg::Id => SortField::Id,
            SortArg::Updated => SortField::Updated,
            SortArg::Created => SortField::Created,
            SortArg::Priority => SortField::Priority,
            SortArg::Status => SortField::Status,
        }
    }
}

/// `tkt check`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Ticket files or store directories to check [default: the whole store]
    #[arg(value_name = "PATH", conflicts_with = "staged")]
    pub paths: Vec<PathBuf>,
    /// Check only the store's files staged in git, as staged (not as in the work tree): for a
    /// pre-commit hook
    #[arg(long)]
    pub staged: bool,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person to the directory
    #[command(
        after_help = "Examples:\n  tkt person add mette --name \"Mette Hansen\" --email mette@acme.example --role admin\n  tkt person add ana --name \"Ana Silva\" --email ana@customer.example --role end-user"
    )]
    Add {
        handle: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum, default_value_t = Role::Agent)]
        role: Role,
    },
    /// List the directory
    #[command(after_help = "Examples:\n  tkt person list\n  tkt person list --format json")]
    List,
    /// Change a person's name, address or role
    #[command(group = clap::ArgGroup::new("fields").required(true).multiple(true))]
    #[command(
        after_help = "Examples:\n  tkt --as ada person edit mette --role admin\n  tkt --as ada person edit ana --email ana.silva@customer.example"
    )]
    Edit {
        handle: String,
        #[arg(long, group = "fields")]
        name: Option<String>,
        #[arg(long, group = "fields")]
        email: Option<String>,
        #[arg(long, value_enum, group = "fields")]
        role: Option<Role>,
    },
    /// Remove a person from the directory (not while they work on an unsolved ticket)
    #[command(after_help = "Examples:\n  tkt --as ada person remove kasper")]
    Remove { handle: String },
}

#[derive(Debug, Subcommand)]
pub enum CcCommand {
    /// Copy people on the public conversation
    #[command(
        after_help = "Examples:\n  tkt --as jonas cc add 7 bob@agency.example --name \"Bob Field\""
    )]
    Add {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// People: handles or email addresses
        #[arg(required = true, value_name = "WHO")]
        who: Vec<String>,
        /// A display name for the address (one WHO only)
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove CCs
    #[command(after_help = "Examples:\n  tkt --as jonas cc remove 7 bob@agency.example")]
    Remove {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// People: handles or email addresses
        #[arg(required = true, value_name = "WHO")]
        who: Vec<String>,
    },
    /// List the CCs
    #[command(after_help = "Examples:\n  tkt cc list 7 --format json")]
    List {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum FollowerCommand {
    /// Add followers (internal people only)
    #[command(after_help = "Examples:\n  tkt --as jonas follower add 7 mette anders")]
    Add {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// People: handles or email addresses
        #[arg(required = true, value_name = "WHO")]
        who: Vec<String>,
    },
    /// Remove followers
    #[command(after_help = "Examples:\n  tkt --as jonas follower remove 7 anders")]
    Remove {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// People: handles or email addresses
        #[arg(required = true, value_name = "WHO")]
        who: Vec<String>,
    },
    /// List the followers (staff only)
    #[command(after_help = "Examples:\n  tkt follower list 7")]
    List {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum GitCommand {
    /// Register tkt's merge driver: the store's .gitattributes lines and this clone's git config
    #[command(
        after_help = "Examples:\n  tkt git setup            # once in every clone\n  git add .gitattributes && git commit -m 'tkt merge driver'"
    )]
    Setup,
    /// The merge driver git runs (set up by `tkt git setup`): merges OURS with THEIRS over BASE, into OURS
    #[command(
        after_help = "Examples:\n  git config merge.tkt.driver   # what tkt git setup registered: tkt git merge-driver %O %A %B %P"
    )]
    MergeDriver {
        /// The common ancestor's version (%O; empty when both branches created the file)
        base: PathBuf,
        /// This branch's version, overwritten with the result (%A)
        ours: PathBuf,
        /// The other branch's version (%B)
        theirs: PathBuf,
        /// The file's path in the work tree (%P)
        path: String,
    },
    /// Settle what a merge left to decide, taking one side's value (all conflicts, or the one named)
    #[command(
        after_help = "Examples:\n  tkt git settle 42 --theirs\n  tkt git settle 42 subject --ours\n  tkt git settle people --theirs"
    )]
    Settle {
        /// The ticket (42 or #42), or `people` for the people directory
        target: String,
        /// The field, as the merge named it (`subject`, `comments`, `people`…); none: every one
        field: Option<String>,
        /// The entry of that field: a comment's id, a CC's address, a handle
        entry: Option<String>,
        /// Keep this branch's value
        #[arg(long, conflicts_with = "theirs", required_unless_present = "theirs")]
        ours: bool,
        /// Take the other branch's value
        #[arg(long)]
        theirs: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Read one email message and add it to its ticket (or open one); prints the ticket's id
    #[command(
        long_about = "Read one RFC 5322 message and add it to the ticket it answers: the ticket is found by \
            the Message-IDs of tkt's own notifications in In-Reply-To/References (only ids of letters tkt \
            really wrote count), else a [#42] tag in the subject, else --ticket. A message that names no ticket opens one (the sender is the requester, \
            the addresses on its To and Cc lines its CCs). Only the new text is added: what stands above \
            tkt's reply line or the quoted message, without a signature. The email rules decide whether it \
            is a public reply or an internal note (the first rule that matches):\n\n\
            1. an agent who is neither assignee, follower nor CC, or an external sender who is neither \
            requester nor CC (a third party): internal note\n\
            2. a CC whose message did not go to the requester: internal note (with cc_email_public: true, \
            public when it went to the desk alone)\n\
            3. the requester or a CC otherwise: public\n\
            4. a light agent or a follower: internal note\n\
            5. staff answering an internal note's letter, or repeating an internal note or \
            side-conversation message: internal note\n\
            6. any other agent: public (internal with agent_email_public: false)\n\n\
            Staff answering a side conversation's letter write in that side conversation. Addresses on \
            the Cc line of a public reply by the requester, a CC or an agent become CCs. The whole message \
            is kept under the store's mail/ directory, its attachments with it. The same message received \
            twice (one sender, one Message-ID) changes nothing. Prints the ticket's id on stdout.",
        after_help = "Examples:\n  tkt mail receive reply.eml\n  tkt mail receive --dry-run < reply.eml\n  tkt mail receive --ticket 42 - < forwarded.eml\n  tkt inbox --as ana@customer.example --format mbox > ana.mbox"
    )]
    Receive {
        /// The message (an .eml file); `-` or none: standard input
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// The ticket, when the message names none by its headers or subject: 42 or #42
        #[arg(long, value_name = "ID", value_parser = parse_ticket_id)]
        ticket: Option<u64>,
        /// Print what would happen and change nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// List the store's templates: name, what for (side or comment), title
    #[command(after_help = "Examples:\n  tkt template list\n  tkt template list --format json")]
    List,
}

#[derive(Debug, Subcommand)]
pub enum SideCommand {
    /// Open a side conversation; prints its number
    #[command(
        after_help = "Examples:\n  n=$(tkt --as jonas side open 7 --subject \"Export on 10.14\" --with anders -m \"Is it supported?\")\n  tkt --as jonas side open 7 --template escalate --with mette"
    )]
    Open {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// What the side conversation is about (with --template: instead of the template's)
        #[arg(long, required_unless_present = "template")]
        subject: Option<String>,
        /// Internal people to invite (with --template: instead of the template's)
        #[arg(long = "with", value_name = "WHO", required_unless_present = "template", num_args = 1..)]
        with: Vec<String>,
        /// Fill subject, participants, tags and message from templates/NAME.yaml (`tkt template list`)
        #[arg(long, value_name = "NAME", value_parser = parse_template_name, conflicts_with_all = ["message", "file"])]
        template: Option<String>,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Reply in a side conversation (reopens a resolved one)
    #[command(
        after_help = "Examples:\n  tkt --as anders side reply 7 1 -m \"Known limitation; update to 10.15.\""
    )]
    Reply {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The side conversation's number, as `side list` shows it, or the id of one of its messages
        #[arg(value_parser = parse_entry_ref)]
        side: String,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// Invite internal people to a side conversation
    #[command(after_help = "Examples:\n  tkt --as jonas side invite 7 1 maria")]
    Invite {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The side conversation's number, as `side list` shows it, or the id of one of its messages
        #[arg(value_parser = parse_entry_ref)]
        side: String,
        /// People: handles or email addresses
        #[arg(required = true, value_name = "WHO")]
        who: Vec<String>,
    },
    /// Mark a side conversation resolved
    #[command(after_help = "Examples:\n  tkt --as jonas side resolve 7 1")]
    Resolve {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The side conversation's number, as `side list` shows it, or the id of one of its messages
        #[arg(value_parser = parse_entry_ref)]
        side: String,
    },
    /// Reopen a resolved side conversation
    #[command(after_help = "Examples:\n  tkt --as jonas side reopen 7 1")]
    Reopen {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
        /// The side conversation's number, as `side list` shows it, or the id of one of its messages
        #[arg(value_parser = parse_entry_ref)]
        side: String,
    },
    /// List the side conversations the viewer may see
    #[command(after_help = "Examples:\n  tkt side list 7 --as anders")]
    List {
        /// The ticket: 42 or #42
        #[arg(value_parser = parse_ticket_id)]
        id: u64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ticket_ids() {
        assert_eq!(parse_ticket_id("42"), Ok(42));
        assert_eq!(parse_ticket_id("#42"), Ok(42));
        for bad in [
            "",
            "#",
            "../x",
            "/etc/passwd",
            "1/../../2",
            "-1",
            "0",
            "99999999999999999999",
            "4 2",
        ] {
            assert!(parse_ticket_id(bad).is_err(), "{bad:?}");
        }
    }
}
