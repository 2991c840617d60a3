//! A file's first document as a tree of nodes that remember how they were written (tag, style, text)
//! and where (line, byte offset): what the check of unknown values compares, and what finds their tags.

use super::events::{Event, Events, Mark, Scalar};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(Scalar, Mark),
    List(Option<String>, Vec<Node>, Mark),
    Map(Option<String>, Vec<(Node, Node)>, Mark),
    Alias(Mark),
}

impl Node {
    pub fn mark(&self) -> Mark {
        match self {
            Node::Scalar(_, mark)
            | Node::List(_, _, mark)
            | Node::Map(_, _, mark)
            | Node::Alias(mark) => *mark,
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Node::Scalar(s, _) => s.tag.as_deref(),
            Node::List(tag, _, _) | Node::Map(tag, _, _) => tag.as_deref(),
            Node::Alias(_) => None,
        }
    }

    /// The node and every node inside it, keys included.
    pub fn all(&self) -> Vec<&Node> {
        let mut out = vec![self];
        match self {
            Node::List(_, items, _) => out.extend(items.iter().flat_map(Node::all)),
            Node::Map(_, entries, _) => {
                for (k, v) in entries {
                    out.extend(k.all());
                    out.extend(v.all());
                }
            }
            _ => {}
        }
        out
    }
}

/// An open list or mapping while the tree is built.
struct Open {
    tag: Option<String>,
    is_map: bool,
    nodes: Vec<Node>,
    mark: Mark,
}

/// The first document of `text`, or `None` if it does not parse. Only for texts the guard accepted.
pub fn tree(text: &str) -> Option<Node> {
    let mut open: Vec<Open> = Vec::new();
    for item in Events::new(text) {
        let (event, mark) = item.ok()?;
        let is_map = matches!(event, Event::MappingStart(_));
        let node = match event {
            Event::Scalar(s) => Node::Scalar(s, mark),
            Event::Alias => Node::Alias(mark),
            Event::SequenceStart(tag) | Event::MappingStart(tag) => {
                open.push(Open {
                    tag,
                    is_map,
                    nodes: Vec::new(),
                    mark,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => close(open.pop()?),
            _ => continue,
        };
        match open.last_mut() {
            Some(parent) => parent.nodes.push(node),
            None => return Some(node),
        }
    }
    None
}

fn close(done: Open) -> Node {
    if !done.is_map {
        return Node::List(done.tag, done.nodes, done.mark);
    }
    let mut entries = Vec::new();
    let mut nodes = done.nodes.into_iter();
    while let (Some(k), Some(v)) = (nodes.next(), nodes.next()) {
        entries.push((k, v));
    }
    Node::Map(done.tag, entries, done.mark)
}
