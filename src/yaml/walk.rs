//! One pass over a file's parser events that knows where it is (`comments[2].n`): the guard that refuses
//! hostile files before serde_yaml sees them, and the index that finds the line of a field.

use std::collections::HashMap;

use super::events::{Event, Events, Mark, Scalar, Style};

/// Deeper than this, lists and mappings are refused before serde_yaml parses the file. The same limit
/// as serde_yaml's own recursion limit, so the guard refuses nothing the codec would accept; unlike
/// the codec, the guard stops at once, before libyaml's cost of deep flow nesting (`[[[[…`, quadratic
/// in the depth) can grow.
pub const MAX_DEPTH: usize = 128;

/// More aliases (`*name`) than this are refused: no file tkt writes has any, and a few nested ones
/// (the "billion laughs") would expand to gigabytes.
pub const MAX_ALIASES: usize = 64;

/// What aliases may add to a file, in parser events (each alias counts the events of what it names):
/// at most this many plus twice the file's bytes. A file without aliases has fewer events than bytes,
/// so this refuses only alias bombs, whose expansion grows with the power of their nesting.
pub const ALIAS_ALLOWANCE: usize = 1_000;

/// What the guard found: why the file is refused, if it is, and how much work the pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guarded {
    pub refusal: Option<String>,
    /// Parser events, each weighted by the nesting depth it sits at, plus the bytes they reach over:
    /// a measure of parsing cost that tests can bound by the file's size without a clock.
    pub work: usize,
    /// Whether some node has a tag of its own (`!foo`), not one of YAML's (`!!str`).
    pub custom_tags: bool,
}

/// Reads the events of `text` up to the first reason to refuse it: nesting deeper than `MAX_DEPTH`,
/// more than `MAX_ALIASES` aliases, or a key twice in one mapping. A syntax error ends the pass
/// without a verdict: serde_yaml, reading the same text with the same parser, reports it in its words.
pub fn guard(text: &str) -> Guarded {
    let mut events = Events::new(text);
    let mut walk = Walk::default();
    let mut expansion = Expansion::new(text.len());
    let mut work = 0usize;
    let mut refusal = None;
    let mut custom_tags = false;
    while let Some(Ok((event, mark))) = events.next() {
        work = work.saturating_add(walk.depth() + 1);
        custom_tags |= has_custom_tag(&event);
        let counted = expansion.count(&event, events.anchor(), walk.depth(), mark);
        if let Err(reason) = counted.and_then(|()| walk.step(&event, mark)) {
            refusal = Some(reason);
            break;
        }
    }
    work = work.saturating_add(expansion.expanded);
    Guarded {
        refusal,
        work: work.saturating_add(events.reached()),
        custom_tags,
    }
}

/// How many events the file amounts to once every alias is replaced by what it names: the cost
/// serde_yaml would pay, counted before it pays it.
struct Expansion {
    budget: usize,
    expanded: usize,
    /// The size of each anchored node seen, in expanded events.
    sizes: HashMap<String, usize>,
    /// Anchored lists and mappings still open: their anchor, the depth they opened at, and the count
    /// when they did.
    open: Vec<(String, usize, usize)>,
}

impl Expansion {
    fn new(bytes: usize) -> Expansion {
        Expansion {
            budget: ALIAS_ALLOWANCE.saturating_add(bytes.saturating_mul(2)),
            expanded: 0,
            sizes: HashMap::new(),
            open: Vec::new(),
        }
    }

    /// Counts one event at `depth` (the depth before it); `anchor` is the anchor it defines, or names.
    fn count(
        &mut self,
        event: &Event,
        anchor: Option<&str>,
        depth: usize,
        mark: Mark,
    ) -> Result<(), String> {
        let grows = match event {
            Event::Alias => anchor.and_then(|a| self.sizes.get(a)).copied().unwrap_or(1),
            _ => 1,
        };
        self.expanded = self.expanded.saturating_add(grows);
        match (event, anchor) {
            (Event::Scalar(_), Some(a)) => {
                self.sizes.insert(a.to_string(), 1);
            }
            (Event::SequenceStart(_) | Event::MappingStart(_), Some(a)) => {
                self.open.push((a.to_string(), depth, self.expanded - 1));
            }
            (Event::SequenceEnd | Event::MappingEnd, _) => self.close(depth),
            _ => {}
        }
        if self.expanded > self.budget {
            return Err(format!(
                "line {}: aliases (*name) would make this file {} parser events, more than tkt reads from a file of its size",
                mark.line, self.expanded
            ));
        }
        Ok(())
    }

    /// An end event at `depth`: closes the anchored node that opened one level up, if there is one.
    fn close(&mut self, depth: usize) {
        if let Some((_, opened_at, _)) = self.open.last()
            && *opened_at + 1 == depth
            && let Some((name, _, start)) = self.open.pop()
        {
            self.sizes.insert(name, self.expanded - start);
        }
    }
}

fn has_custom_tag(event: &Event) -> bool {
    let tag = match event {
        Event::Scalar(s) => s.tag.as_deref(),
        Event::SequenceStart(tag) | Event::MappingStart(tag) => tag.as_deref(),
        _ => None,
    };
    tag.is_some_and(|t| !t.starts_with("tag:yaml.org,2002:"))
}

/// The line (from 1) where the value at `path` (`people[2].email`, `requester`) starts, if the text
/// has one. Only for texts the guard accepted.
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let mut walk = Walk::default();
    for item in Events::new(text) {
        let (event, mark) = item.ok()?;
        if walk.starts_value(&event) && walk.path() == path {
            return Some(mark.line);
        }
        walk.step(&event, mark).ok()?;
    }
    None
}

/// Where the walk is: one frame per open list or mapping.
#[derive(Default)]
struct Walk {
    frames: Vec<Frame>,
    aliases: usize,
}

enum Frame {
    List {
        index: usize,
    },
    Map {
        /// Every key read so far, with its line.
        keys: HashMap<KeyId, usize>,
        /// The last key read, for paths; `None` for a key that is not a scalar.
        key: Option<String>,
        /// Whether the next node is a value (else a key).
        at_value: bool,
    },
}

/// What makes two keys the same key: their text, and whether a plain one might be a number, a bool or
/// null (`1` and `'1'` are different keys; `a` and `'a'` are the same).
#[derive(Hash, PartialEq, Eq)]
struct KeyId {
    kind: String,
    text: String,
}

impl KeyId {
    fn of(s: &Scalar) -> KeyId {
        let kind = match (&s.tag, s.style) {
            (Some(tag), _) if tag != "tag:yaml.org,2002:str" => tag.clone(),
            (None, Style::Plain) if may_not_be_text(&s.value) => "plain".into(),
            _ => "text".into(),
        };
        KeyId {
            kind,
            text: s.value.clone(),
        }
    }
}

/// Whether a plain scalar might resolve to something other than a string.
fn may_not_be_text(value: &str) -> bool {
    value.is_empty()
        || value.starts_with(|c: char| c.is_ascii_digit() || "+-.~".contains(c))
        || matches!(
            value,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
}

impl Walk {
    fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Whether `event` starts a node that is not a mapping key.
    fn starts_value(&self, event: &Event) -> bool {
        let starts = matches!(
            event,
            Event::Scalar(_) | Event::Alias | Event::SequenceStart(_) | Event::MappingStart(_)
        );
        starts
            && !matches!(
                self.frames.last(),
                Some(Frame::Map {
                    at_value: false,
                    ..
                })
            )
    }

    /// The path of the node about to start (or just started as a key's value).
    fn path(&self) -> String {
        path_of(&self.frames)
    }

    fn step(&mut self, event: &Event, mark: Mark) -> Result<(), String> {
        match event {
            Event::Scalar(s) => {
                self.key(Some(s), mark)?;
                self.finish_node();
            }
            Event::Alias => {
                self.aliases += 1;
                if self.aliases > MAX_ALIASES {
                    return Err(format!(
                        "line {}: more than {MAX_ALIASES} aliases (*name), over tkt's limit",
                        mark.line
                    ));
                }
                self.key(None, mark)?;
                self.finish_node();
            }
            Event::SequenceStart(_) | Event::MappingStart(_) => {
                self.key(None, mark)?;
                self.frames.push(match event {
                    Event::SequenceStart(_) => Frame::List { index: 0 },
                    _ => Frame::Map {
                        keys: HashMap::new(),
                        key: None,
                        at_value: false,
                    },
                });
                if self.frames.len() > MAX_DEPTH {
                    return Err(format!(
                        "line {}: lists and mappings nested more than {MAX_DEPTH} levels deep (tkt's recursion limit)",
                        mark.line
                    ));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.frames.pop();
                self.finish_node();
            }
            _ => {}
        }
        Ok(())
    }

    /// If the node starting at `mark` is a mapping key, records it, refusing a key seen before.
    fn key(&mut self, scalar: Option<&Scalar>, mark: Mark) -> Result<(), String> {
        let depth = self.frames.len();
        let Some(Frame::Map {
            keys,
            key,
            at_value: false,
        }) = self.frames.last_mut()
        else {
            return Ok(());
        };
        *key = scalar.map(|s| s.value.clone());
        let Some(s) = scalar else { return Ok(()) };
        if let Some(first) = keys.insert(KeyId::of(s), mark.line) {
            // The path is built only for the message: the guard reads every file, most without one.
            let parent = path_of(&self.frames[..depth.saturating_sub(1)]);
            let field = if parent.is_empty() {
                shown(&s.value)
            } else {
                format!("{parent}.{}", shown(&s.value))
            };
            return Err(format!(
                "line {}: {field}: duplicate key (first on line {first})",
                mark.line
            ));
        }
        Ok(())
    }

    /// A node ended: the next one in a list has the next index; in a mapping, keys and values alternate.
    fn finish_node(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::List { index }) => *index += 1,
            Some(Frame::Map { at_value, .. }) => *at_value = !*at_value,
            None => {}
        }
    }
}

/// The path of the node inside the innermost of `frames`: `comments[2].n`.
fn path_of(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::List { index } => path.push_str(&format!("[{index}]")),
            Frame::Map { key, .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key.as_deref().unwrap_or("?"));
            }
        }
    }
    path
}

/// Text from a file, fit for a one-line message: control characters made harmless, long text cut.
pub fn shown(text: &str) -> String {
    const LONG: usize = 40;
    let cut: String = text.chars().take(LONG).collect();
    let cut = if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    };
    crate::render::sanitize::line(&cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_twice_is_refused_at_its_second_line() {
        let g = guard("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n");
        assert_eq!(
            g.refusal.as_deref(),
            Some("line 5: b.c: duplicate key (first on line 3)")
        );
        assert_eq!(guard("a: 1\n'a': 2\n").refusal.unwrap()[..7], *"line 2:");
        assert_eq!(guard("1: x\n'1': y\n").refusal, None);
    }

    #[test]
    fn paths_find_lines() {
        let text = "a: 1\nlist:\n- x: 1\n- x: 2\n  y: [p, q]\n";
        assert_eq!(line_of(text, "a"), Some(1));
        assert_eq!(line_of(text, "list[1].x"), Some(4));
        assert_eq!(line_of(text, "list[1].y[1]"), Some(5));
        assert_eq!(line_of(text, "list[2]"), None);
    }

    #[test]
    fn depth_is_refused_at_the_limit() {
        let ok = format!("a: {}{}\n", "[".repeat(127), "]".repeat(127));
        assert_eq!(guard(&ok).refusal, None);
        let deep = format!("a: {}{}\n", "[".repeat(128), "]".repeat(128));
        assert!(guard(&deep).refusal.unwrap().contains("nested"));
    }
}
