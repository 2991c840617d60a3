//! Who sees what (SPEC §3): the one place that decides it. Every command and every output format asks
//! here for a viewer's view, then renders that view; renderers never filter on their own.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::naming::{self, Label};
use crate::model::summary::Summary;
use crate::model::ticket::{Time, Visibility};
use crate::model::{Event, People, Priority, SideConversation, Status, Ticket, Who};

/// How much of a ticket a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// An external person not on the ticket: nothing at all.
    None,
    /// The requester or an external CC: the public conversation only.
    External,
    /// Staff. `all_sides` for followers, the assignee and admins; others see only the side
    /// conversations they take part in.
    Staff { all_sides: bool },
}

/// The relations access depends on, answered by a full ticket or by a list summary alike.
pub trait Parties {
    fn is_requester(&self, email: &str) -> bool;
    fn is_cc(&self, email: &str) -> bool;
    fn is_follower(&self, handle: &str) -> bool;
    fn is_assignee(&self, handle: &str) -> bool;
}

impl Parties for Ticket {
    fn is_requester(&self, email: &str) -> bool {
        Ticket::is_requester(self, email)
    }
    fn is_cc(&self, email: &str) -> bool {
        Ticket::is_cc(self, email)
    }
    fn is_follower(&self, handle: &str) -> bool {
        Ticket::is_follower(self, handle)
    }
    fn is_assignee(&self, handle: &str) -> bool {
        Ticket::is_assignee(self, handle)
    }
}

/// The access `who` has to a ticket. An internal person added only as a CC is still staff who is not
/// following: they see internal notes but not other people's side conversations.
pub fn access(ticket: &impl Parties, who: &Who) -> Access {
    match who {
        Who::External { email } => {
            if ticket.is_requester(email) || ticket.is_cc(email) {
                Access::External
            } else {
                Access::None
            }
        }
        Who::Staff { handle, role, .. } => Access::Staff {
            all_sides: *role == crate::model::Role::Admin
                || ticket.is_follower(handle)
                || ticket.is_assignee(handle),
        },
    }
}

/// The access of a viewer, where no viewer means the full staff view.
pub fn access_of(ticket: &impl Parties, viewer: Option<&Who>) -> Access {
    viewer.map_or(Access::Staff { all_sides: true }, |who| access(ticket, who))
}

/// Whether `who` is staff who are on the ticket only as a CC: not following, not its assignee, not an
/// admin. They see internal notes but not the side conversations they are not part of, and the domain's
/// fix is to make them a follower.
pub fn staff_only_cc(ticket: &impl Parties, who: &Who) -> bool {
    access(ticket, who) == (Access::Staff { all_sides: false }) && ticket.is_cc(who.email())
}

/// Whether a viewer with `access` sees a side conversation.
pub fn can_see_side(access: Access, side_participants: &[String], viewer: Option<&Who>) -> bool {
    match access {
        Access::None | Access::External => false,
        Access::Staff { all_sides: true } => true,
        Access::Staff { all_sides: false } => {
            viewer.is_some_and(|who| side_participants.iter().any(|p| p == who.id()))
        }
    }
}

/// The status an external viewer is shown: `on-hold` is internal and reads as `open`.
pub fn external_status(status: Status) -> Status {
    if status == Status::OnHold {
        Status::Open
    } else {
        status
    }
}

/// A ticket as one viewer may see it.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum View {
    Staff(Box<Ticket>),
    External(ExternalView),
}

/// What the requester and external CCs see: their email thread and nothing more. It has no field that
/// could carry internal data, so no renderer can leak it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalView {
    pub id: u64,
    pub subject: String,
    pub status: Status,
    pub requester: Label,
    pub cc: Vec<Label>,
    pub created: Time,
    /// The last public activity, not the ticket's `updated` (which internal work moves).
    pub updated: Time,
    pub comments: Vec<PublicComment>,
}

/// A public comment as the customer's thread shows it: no number, no id, no visibility.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicComment {
    pub at: Time,
    /// Staff by name only; everyone else with their address.
    pub author: Label,
    pub body: String,
}

/// The view of `ticket` for `viewer` (None: the full staff view), or None when they have no access.
///
/// It takes the ticket by value: the staff view is the ticket itself, filtered in place, so a large ticket
/// is never held twice.
pub fn view(ticket: Ticket, viewer: Option<&Who>, people: &People) -> Option<View> {
    match access_of(&ticket, viewer) {
        Access::None => None,
        Access::External => Some(View::External(external_view(&ticket, people))),
        access @ Access::Staff { .. } => {
            Some(View::Staff(Box::new(staff_view(ticket, access, viewer))))
        }
    }
}

fn staff_view(mut seen: Ticket, access: Access, viewer: Option<&Who>) -> Ticket {
    let visible = |s: &SideConversation| can_see_side(access, &s.participants, viewer);
    let hidden: Vec<u32> = seen
        .side_conversations
        .iter()
        .filter(|s| !visible(s))
        .map(|s| s.n)
        .collect();
    seen.side_conversations.retain(visible);
    seen.events.retain(|e| staff_sees_event(e, access, &hidden));
    seen
}

/// An event about a side conversation names it in `side`; one written by hand without it is shown
/// only to those who see every side conversation.
fn staff_sees_event(e: &Event, access: Access, hidden_sides: &[u32]) -> bool {
    let sees_all = matches!(access, Access::Staff { all_sides: true });
    match e.side {
        Some(n) => !hidden_sides.contains(&n),
        None => sees_all || !e.action.starts_with("side."),
    }
}

/// The ticket's events a viewer with `access` may see, structured (old free-text entries read as
/// structured ones), in the order they were recorded.
///
/// Staff see every event but those of side conversations hidden from them. The requester and CCs see
/// only what their own view already shows: the ticket being opened, the comments that are public now,
/// and CC changes. Never internal events, follower, assignee, status, priority, group, tag, subject or
/// requester changes, and never a comment number, old free text or unknown keys. Staff who did anything
/// but write a public reply are not named to them: `by` is empty, which means the desk.
pub fn visible_events(ticket: &Ticket, access: Access, viewer: Option<&Who>) -> Vec<Event> {
    match access {
        Access::None => Vec::new(),
        Access::External => {
            let public: std::collections::HashSet<u32> = ticket
                .comments
                .iter()
                .filter(|c| c.visibility == Visibility::Public)
                .map(|c| c.n)
                .collect();
            let on_thread: std::collections::HashSet<String> = std::iter::once(&ticket.requester)
                .chain(ticket.cc.iter().map(|c| &c.email))
                .chain(
                    ticket
                        .comments
                        .iter()
                        .filter(|c| c.visibility == Visibility::Public)
                        .map(|c| &c.author),
                )
                .map(|a| a.to_ascii_lowercase())
                .collect();
            let seen: Vec<Event> = ticket
                .events
                .iter()
                .filter_map(|e| external_event(ticket, &public, &on_thread, &e.structured()))
                .collect();
            last_cc_adds_only(seen)
        }
        Access::Staff { .. } => {
            let hidden: Vec<u32> = ticket
                .side_conversations
                .iter()
                .filter(|s| !can_see_side(access, &s.participants, viewer))
                .map(|s| s.n)
                .collect();
            ticket
                .events
                .iter()
                .map(Event::structured)
                .filter(|e| staff_sees_event(e, access, &hidden))
                .collect()
        }
    }
}

/// An event as the requester and CCs may see it, or None when it is not theirs to see. `public` holds
/// the numbers of the comments that are public now. Of the CC changes they see when the people on the
/// thread now were added: an address copied by mistake and removed again stays out of every later
/// customer's sight, as it is out of their `show`.
/// `on_thread` holds the addresses their `show` names (requester, CCs, authors of public comments): an
/// address no longer there is not named in their history either.
fn external_event(
    ticket: &Ticket,
    public: &std::collections::HashSet<u32>,
    on_thread: &std::collections::HashSet<String>,
    e: &Event,
) -> Option<Event> {
    let public_comment = |n: u32| public.contains(&n);
    let mut seen = Event::new(e.at, &e.by, &e.action);
    match e.action.as_str() {
        "create" => {}
        "comment" if e.comment.is_some_and(public_comment) => {
            seen.visibility = Some(Visibility::Public);
            return Some(seen);
        }
        "cc.add" if e.to.as_deref().is_some_and(|to| ticket.is_cc(to)) => {
            seen.field = e.field.clone();
            seen.from = e.from.clone();
            seen.to = e.to.clone();
        }
        _ => return None,
    }
    let named = on_thread.contains(&e.by.to_ascii_lowercase());
    match (e.by.contains('@'), named, e.action.as_str()) {
        (false, _, _) => seen.by = String::new(),
        // A CC added by someone no longer on the thread: who added them is not theirs to know.
        (true, false, "cc.add") => return None,
        (true, false, _) => seen.by = String::new(),
        (true, true, _) => {}
    }
    Some(seen)
}

/// Of several `cc.add` events for one address (added, removed, added again), the last: the earlier
/// ones would tell of a removal their `show` does not.
fn last_cc_adds_only(events: Vec<Event>) -> Vec<Event> {
    let mut last = std::collections::HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.action == "cc.add"
            && let Some(to) = &e.to
        {
            last.insert(to.to_ascii_lowercase(), i);
        }
    }
    events
        .into_iter()
        .enumerate()
        .filter(|(i, e)| {
            e.action != "cc.add"
                || e.to
                    .as_ref()
                    .is_some_and(|to| last.get(&to.to_ascii_lowercase()) == Some(i))
        })
        .map(|(_, e)| e)
        .collect()
}

/// The latest time on the ticket that a viewer with `access` can see: what a write of theirs is
/// stamped no earlier than. For the requester and CCs only their own view counts (the public comments,
/// the events they see, the opening), so the time of their reply never tells them of internal work.
pub fn latest_seen(ticket: &Ticket, access: Access, viewer: Option<&Who>) -> Time {
    match access {
        Access::Staff { .. } => ticket.latest_entry(),
        Access::None | Access::External => visible_events(ticket, access, viewer)
            .iter()
            .map(|e| e.at)
            .fold(ticket.last_public_activity(), Time::max),
    }
}

/// The CCs as staff see them: the name they were copied with, else the directory's, beside the address.
pub fn cc_parties(ticket: &Ticket, people: &People) -> Vec<Label> {
    ticket
        .cc
        .iter()
        .map(|c| naming::cc_for_staff(c, people))
        .collect()
}

/// The CCs as the requester and other CCs see them: the name they were copied with, else the address.
pub fn external_cc_parties(ticket: &Ticket) -> Vec<Label> {
    ticket.cc.iter().map(naming::cc_for_external).collect()
}

fn external_view(ticket: &Ticket, people: &People) -> ExternalView {
    let comments = ticket
        .comments
        .iter()
        .filter(|c| c.visibility == Visibility::Public)
        .map(|c| PublicComment {
            at: c.at,
            author: naming::for_external(ticket, &c.author, people),
            body: c.body.clone(),
        })
        .collect();
    ExternalView {
        id: ticket.id,
        subject: ticket.subject.clone(),
        status: external_status(ticket.status),
        requester: naming::for_external(ticket, &ticket.requester, people),
        cc: external_cc_parties(ticket),
        created: ticket.created,
        updated: ticket.last_public_activity(),
        comments,
    }
}

/// One line of `tkt list` as a viewer may see it. External rows leave out every staff-only field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: u64,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    pub subject: String,
    pub requester: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The team responsible (staff only; left out when there is none, like `assignee`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// When the ticket was opened (public: the customer's own view shows it).
    pub created: Time,
    pub updated: Time,
    pub cc: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followers: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Open side conversations this viewer may see (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_sides: Option<usize>,
}

impl Row {
    /// Whether this row carries the staff-only fields (so a filter on them can mean something).
    pub fn is_staff_row(&self) -> bool {
        self.followers.is_some()
    }
}

/// The list row of a ticket summary for `viewer`, or None when they may not see the ticket. It takes
/// the summary by value: a row is made of its fields, not of copies of them.
pub fn row(summary: Summary, viewer: Option<&Who>) -> Option<Row> {
    let access = access_of(&summary, viewer);
    match access {
        Access::None => None,
        Access::External => Some(Row {
            id: summary.id,
            status: external_status(summary.status),
            priority: None,
            subject: summary.subject,
            requester: summary.requester,
            assignee: None,
            group: None,
            created: summary.created,
            updated: summary.last_public,
            cc: summary.cc,
            followers: None,
            tags: None,
            open_sides: None,
        }),
        Access::Staff { .. } => Some(Row {
            open_sides: Some(open_sides(&summary, access, viewer)),
            id: summary.id,
            status: summary.status,
            priority: Some(summary.priority),
            subject: summary.subject,
            requester: summary.requester,
            assignee: summary.assignee,
            group: summary.group,
            created: summary.created,
            updated: summary.updated,
            cc: summary.cc,
            followers: Some(summary.followers),
            tags: Some(summary.tags),
        }),
    }
}

/// The open side conversations a viewer may see on a listed ticket. A closed ticket has none: nothing on
/// it can change, so no side conversation there is waiting for anyone (older tickets were closed without
/// resolving theirs).
fn open_sides(summary: &Summary, access: Access, viewer: Option<&Who>) -> usize {
    if summary.status == Status::Closed {
        return 0;
    }
    summary
        .open_sides
        .iter()
        .filter(|participants| can_see_side(access, participants, viewer))
        .count()
}
