//! Tickets, people and the rules of who sees and does what: plain data and plain functions, no I/O.

pub mod address;
pub mod check;
pub mod clock;
pub mod commit_message;
pub mod edit;
pub mod event;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod history;
pub mod hygiene;
pub mod inbox;
pub mod leak;
pub mod mail;
pub mod mention;
pub mod merge;
pub mod naming;
pub mod notify;
pub mod permission;
pub mod person;
pub mod query;
pub mod report;
pub mod settings;
pub mod status;
pub mod summary;
pub mod template;
pub mod text;
pub mod thread;
pub mod ticket;
pub mod visibility;

pub use person::{People, Person, Role, Who};
pub use settings::Settings;
pub use ticket::{
    Cc, Comment, Event, Message, Priority, SideConversation, SideState, Status, Ticket, Visibility,
};
