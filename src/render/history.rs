//! `tkt log` as text: one line per event, `when  who  what`, in readable sentences.

use crate::model::history::LogEntry;
use crate::model::naming::Label;
use crate::model::ticket::Visibility;
use crate::render::sanitize::line;
use crate::render::when;

/// The history, one line per entry.
pub fn log_lines(entries: &[LogEntry]) -> String {
    entries
        .iter()
        .map(|e| format!("{}  {}  {}\n", when(&e.at), who(&e.by), line(&what(e))))
        .collect()
}

/// Staff by handle for staff viewers; for the requester and CCs as their own view names them.
fn who(by: &Label) -> String {
    match &by.handle {
        Some(handle) => line(handle).into_owned(),
        None => crate::render::text::signed(by),
    }
}

fn or_none(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("(none)")
}

/// What happened, in words.
fn what(e: &LogEntry) -> String {
    let to = or_none(&e.to);
    let from = or_none(&e.from);
    let side = e.side.map(|n| n.to_string()).unwrap_or_default();
    let because = e
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let sentence = match e.action.as_str() {
        "create" => "opened the ticket".to_string(),
        "status" | "assign" | "edit" => {
            let field = e.field.as_deref().unwrap_or(&e.action);
            if field == "subject" {
                format!("subject {from:?} → {to:?}")
            } else {
                format!("{field} {from} → {to}")
            }
        }
        "comment" => comment(e),
        "comment.private" => format!(
            "made comment {} private",
            e.comment.map(|n| n.to_string()).unwrap_or_default()
        ),
        "mail" => {
            let n = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
            let entry = match (e.side, e.visibility) {
                (Some(_), _) => format!("message {} in side conversation {side}", n(e.message)),
                (None, Some(Visibility::Internal)) => format!("internal note {}", n(e.comment)),
                (None, _) => format!("public reply {}", n(e.comment)),
            };
            format!("{entry} arrived by mail, kept as {to}")
        }
        "cc.add" => format!("added CC {to}"),
        "cc.remove" => format!("removed CC {from}"),
        "follower.add" => format!("added follower {to}"),
        "follower.remove" => format!("removed follower {from}"),
        "tag.add" => format!("added tag {to}"),
        "tag.remove" => format!("removed tag {from}"),
        "side.open" => format!("opened side conversation {side}"),
        "side.message" => format!(
            "wrote message {} in side conversation {side}",
            e.message.map(|n| n.to_string()).unwrap_or_default()
        ),
        "side.invite" => format!("invited {to} to side conversation {side}"),
        "side.resolve" => format!("resolved side conversation {side}"),
        "side.reopen" => format!("reopened side conversation {side}"),
        "merge" if e.side.is_some() => {
            format!("merge kept side conversation {side} {to} over {from}")
        }
        "merge" => format!(
            "merge kept {} {to} over {from}",
            e.field.as_deref().unwrap_or_default()
        ),
        "merge.settle" => format!(
            "settled {} after a merge",
            e.field.as_deref().unwrap_or_default()
        ),
        "renumber" => format!("renumbered #{from} → #{to}"),
        "renumber.other" => format!("another ticket created as #{from} is now #{to}"),
        other => match &e.detail {
            Some(detail) => format!("{other} {detail}"),
            None => other.to_string(),
        },
    };
    sentence + &because
}

fn comment(e: &LogEntry) -> String {
    let kind = match e.visibility {
        Some(Visibility::Internal) => "internal note",
        _ => "public reply",
    };
    match e.comment {
        Some(n) => format!("wrote {kind} {n}"),
        None => format!("wrote a {kind}"),
    }
}
