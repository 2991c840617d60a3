//! Keys tkt does not know, and their values: found by the shape of what tkt knows, read even when
//! serde_yaml's buffer for them cannot hold a custom tag, and checked before a write so that tkt keeps
//! what a person wrote exactly or refuses to write.

use std::collections::HashMap;

use super::events::{Scalar, Style};
use super::tree::{Node, tree};
use super::walk::shown;

/// The keys tkt knows at one level of a file, and for those holding a list of mappings (`comments`),
/// the shape of each.
pub struct Shape {
    pub keys: &'static [(&'static str, Option<&'static Shape>)],
}

/// A key tkt does not know: where its mapping is (`comments[2]`), and the key and value as written.
struct Unknown<'a> {
    parent: String,
    key: &'a Node,
    value: &'a Node,
}

impl Unknown<'_> {
    fn name(&self) -> String {
        let key = match self.key {
            Node::Scalar(s, _) => shown(&s.value),
            _ => "?".to_string(),
        };
        match self.parent.as_str() {
            "" => key,
            parent => format!("{parent}.{key}"),
        }
    }
}

/// The unknown keys of `node`, a mapping of `shape`, and of the known lists of mappings inside it.
fn unknowns<'a>(node: &'a Node, shape: &Shape, parent: &str, out: &mut Vec<Unknown<'a>>) {
    let Node::Map(_, entries, _) = node else {
        return;
    };
    for (key, value) in entries {
        let known = match key {
            Node::Scalar(s, _) if is_text(s) => {
                shape.keys.iter().find(|(name, _)| *name == s.value)
            }
            _ => None,
        };
        match known {
            Some((name, Some(items))) => {
                if let Node::List(_, list, _) = value {
                    for (i, item) in list.iter().enumerate() {
                        let at = match parent {
                            "" => format!("{name}[{i}]"),
                            _ => format!("{parent}.{name}[{i}]"),
                        };
                        unknowns(item, items, &at, out);
                    }
                }
            }
            Some((_, None)) => {}
            None => out.push(Unknown {
                parent: parent.to_string(),
                key,
                value,
            }),
        }
    }
}

/// A key tkt does not know, as `tkt check` reports it: its path (`comments[2].bdy`), the key itself,
/// its line, and the keys tkt knows beside it (for "did you mean …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    pub path: String,
    pub key: String,
    pub line: usize,
    pub known: Vec<&'static str>,
}

/// Every key of `text`, a file of `shape`, that tkt does not know, in the order written. Empty if the
/// text does not parse (its reader reports that).
pub fn unknown_keys(text: &str, shape: &Shape) -> Vec<UnknownKey> {
    let Some(root) = tree(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    unknowns(&root, shape, "", &mut found);
    found
        .iter()
        .map(|u| {
            let key = match u.key {
                Node::Scalar(s, _) => shown(&s.value),
                _ => "?".to_string(),
            };
            UnknownKey {
                path: u.name(),
                key,
                line: u.key.mark().line,
                known: known_at(shape, &u.parent),
            }
        })
        .collect()
}

/// The keys tkt knows in the mapping at `parent` (`comments[2]`, `side_conversations[0].messages[1]`).
fn known_at(shape: &Shape, parent: &str) -> Vec<&'static str> {
    let mut shape = shape;
    for part in parent.split('.').filter(|p| !p.is_empty()) {
        let name = part.split('[').next().unwrap_or(part);
        match shape.keys.iter().find(|(k, _)| *k == name) {
            Some((_, Some(items))) => shape = items,
            _ => return Vec::new(),
        }
    }
    shape.keys.iter().map(|(k, _)| *k).collect()
}

/// What a scalar means, as far as keeping it is concerned: a string is its text whatever its quotes;
/// anything else is its type or tag and its text as written (`0o17` is not `15`, `~` is not `null`).
#[derive(Debug, PartialEq, Eq)]
enum Meaning {
    Text(String),
    Typed(String, String),
}

const CORE: &str = "tag:yaml.org,2002:";

fn meaning(s: &Scalar) -> Meaning {
    let typed = |kind: &str| Meaning::Typed(kind.to_string(), s.value.clone());
    match &s.tag {
        Some(tag) if tag == &format!("{CORE}str") => Meaning::Text(s.value.clone()),
        Some(tag) => typed(tag.strip_prefix(CORE).unwrap_or(tag)),
        None if s.style != Style::Plain => Meaning::Text(s.value.clone()),
        None => match plain_kind(&s.value) {
            Some(kind) => typed(kind),
            None => Meaning::Text(s.value.clone()),
        },
    }
}

fn is_text(s: &Scalar) -> bool {
    matches!(meaning(s), Meaning::Text(_))
}

/// What serde_yaml reads an untagged plain scalar as, if not a string.
fn plain_kind(value: &str) -> Option<&'static str> {
    let may_be_typed = value.is_empty()
        || value.starts_with(|c: char| c.is_ascii_digit() || "+-.~".contains(c))
        || matches!(
            value,
            "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        );
    if !may_be_typed || value.contains(char::is_whitespace) {
        return None;
    }
    if value.is_empty() {
        return Some("null");
    }
    // A single word without whitespace: the codec itself says what it is.
    match serde_yaml::from_str::<serde_yaml::Value>(value) {
        Ok(serde_yaml::Value::Null) => Some("null"),
        Ok(serde_yaml::Value::Bool(_)) => Some("bool"),
        Ok(serde_yaml::Value::Number(n)) if n.is_f64() => Some("float"),
        Ok(serde_yaml::Value::Number(_)) => Some("int"),
        _ => None,
    }
}

/// The first place where `new` does not say what `old` says: the old node, and the new one if any.
fn difference<'a>(old: &'a Node, new: &'a Node) -> Option<(&'a Node, Option<&'a Node>)> {
    let differ = Some((old, Some(new)));
    let core_collection = |tag: Option<&str>| {
        tag.is_none_or(|t| t == format!("{CORE}map") || t == format!("{CORE}seq"))
    };
    match (old, new) {
        (Node::Scalar(a, _), Node::Scalar(b, _)) => {
            (meaning(a) != meaning(b)).then_some((old, Some(new)))
        }
        (Node::List(..), Node::List(..)) | (Node::Map(..), Node::Map(..))
            if !(core_collection(old.tag()) && core_collection(new.tag()))
                && old.tag() != new.tag() =>
        {
            differ
        }
        (Node::List(_, a, _), Node::List(_, b, _)) => {
            in_order(a.iter().zip(b), a.len(), b.len(), old)
        }
        (Node::Map(_, a, _), Node::Map(_, b, _)) => {
            let pairs = a
                .iter()
                .zip(b)
                .flat_map(|((ka, va), (kb, vb))| [(ka, kb), (va, vb)]);
            in_order(pairs, a.len(), b.len(), old)
        }
        _ => differ,
    }
}

fn in_order<'a>(
    pairs: impl Iterator<Item = (&'a Node, &'a Node)>,
    old_len: usize,
    new_len: usize,
    whole: &'a Node,
) -> Option<(&'a Node, Option<&'a Node>)> {
    for (a, b) in pairs {
        if let Some(found) = difference(a, b) {
            return Some(found);
        }
    }
    (old_len != new_len).then_some((whole, None))
}

/// How a node was written, short, for a message.
fn written(node: &Node) -> String {
    let tag = |tag: Option<&str>| match tag {
        Some(t) => match t.strip_prefix(CORE) {
            Some(core) => format!("!!{core} "),
            None => format!("{t} "),
        },
        None => String::new(),
    };
    let text = match node {
        Node::Scalar(s, _) => match s.style {
            Style::Plain if s.value.is_empty() => "an empty value".to_string(),
            Style::Plain => s.value.clone(),
            _ => format!("{:?}", s.value),
        },
        Node::List(..) => "[…]".to_string(),
        Node::Map(..) => "{…}".to_string(),
        Node::Alias(_) => "an alias".to_string(),
    };
    shown(&format!("{}{text}", tag(node.tag())))
}

/// Why writing `new` in place of `old` (both texts of a file of `shape`) would change what a person
/// wrote under a key tkt does not know, as `line N: …`; `None` if every unknown value is kept.
pub fn changed(old: &str, new: &str, shape: &Shape) -> Option<String> {
    let old_tree = tree(old)?;
    let Some(new_tree) = tree(new) else {
        return Some("line 1: tkt could not read back what it would write".to_string());
    };
    let (mut before, mut after) = (Vec::new(), Vec::new());
    unknowns(&old_tree, shape, "", &mut before);
    unknowns(&new_tree, shape, "", &mut after);
    // The unknown keys of one mapping are kept in order: pair them up mapping by mapping.
    let mut rewritten: HashMap<&str, Vec<&Unknown>> = HashMap::new();
    for u in &after {
        rewritten.entry(u.parent.as_str()).or_default().push(u);
    }
    let mut taken: HashMap<&str, usize> = HashMap::new();
    for was in &before {
        let n = taken.entry(was.parent.as_str()).or_default();
        let now = rewritten
            .get(was.parent.as_str())
            .and_then(|list| list.get(*n));
        *n += 1;
        if let Some(now) = now
            && let Some((old_key, new_key)) = difference(was.key, now.key)
        {
            let (line, was_key) = (old_key.mark().line, written(old_key));
            let becomes = new_key.map_or_else(|| "nothing".to_string(), written);
            return Some(format!(
                "line {line}: unknown key {was_key} would be rewritten as the key {becomes}; write it as tkt would ({becomes}) or quote it, and try again"
            ));
        }
        let found = match now {
            Some(now) => difference(was.value, now.value),
            None => Some((was.value, None)),
        };
        if let Some((old_node, new_node)) = found {
            return Some(refusal(&was.name(), old_node, new_node));
        }
    }
    None
}

fn refusal(name: &str, old: &Node, new: Option<&Node>) -> String {
    let line = old.mark().line;
    let was = written(old);
    match new {
        Some(new) => {
            let becomes = written(new);
            format!(
                "line {line}: unknown key \"{name}\" holds {was}, which tkt would rewrite as {becomes}; write it as tkt would ({becomes}) or quote it, and try again"
            )
        }
        None => format!(
            "line {line}: unknown key \"{name}\" holds {was}, which tkt would not keep; remove it or quote it, and try again"
        ),
    }
}

/// Byte ranges of the custom tags (`!foo`) on unknown values of `text`, a file of `shape`: serde_yaml
/// cannot buffer a tagged value for `#[serde(flatten)]`, so reading blanks them out; a write then sees
/// the tag gone and refuses.
pub fn custom_tags(text: &str, shape: &Shape) -> Vec<std::ops::Range<usize>> {
    let Some(root) = tree(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    unknowns(&root, shape, "", &mut found);
    let mut spans = Vec::new();
    for unknown in &found {
        for node in unknown.key.all().into_iter().chain(unknown.value.all()) {
            if node.tag().is_some_and(|t| !t.starts_with(CORE)) {
                spans.extend(tag_span(text, node.mark().index));
            }
        }
    }
    spans
}

/// Where the tag of the node whose properties start at `start` is written (`&a !foo x`, `!<…> x`).
fn tag_span(text: &str, start: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut at = start;
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let first = *bytes.get(at)?;
        if first != b'&' && first != b'!' {
            return None;
        }
        let end = word_end(bytes, at);
        if first == b'!' {
            return Some(at..end);
        }
        at = end;
    }
}

/// The end of a tag or anchor starting at `at`: whitespace or a flow indicator ends it, except inside
/// a verbatim tag `!<…>`.
fn word_end(bytes: &[u8], at: usize) -> usize {
    let verbatim = bytes.get(at + 1) == Some(&b'<');
    let mut end = at + 1;
    while let Some(&b) = bytes.get(end) {
        if verbatim && b == b'>' {
            return end + 1;
        }
        if !verbatim && (b.is_ascii_whitespace() || b",[]{}".contains(&b)) {
            break;
        }
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAT: Shape = Shape {
        keys: &[("id", None), ("list", Some(&ITEM))],
    };
    const ITEM: Shape = Shape {
        keys: &[("n", None)],
    };

    #[test]
    fn quotes_are_not_a_change_but_a_number_written_otherwise_is() {
        let old = "id: 1\nx: \"hello\"\ny: 'it''s'\nlist:\n- n: 1\n  z: [a, {b: 2}]\n";
        let new = "id: 2\nx: hello\ny: it's\nlist:\n- n: 1\n  z:\n  - a\n  - b: 2\n";
        assert_eq!(changed(old, new, &FLAT), None);
        let refused = changed(
            "id: 1\nlist:\n- n: 1\n  z: [0o17]\n",
            "id: 1\nlist:\n- n: 1\n  z: [15]\n",
            &FLAT,
        );
        assert_eq!(
            refused.as_deref(),
            Some(
                "line 4: unknown key \"list[0].z\" holds 0o17, which tkt would rewrite as 15; write it as tkt would (15) or quote it, and try again"
            )
        );
    }

    #[test]
    fn tags_types_and_keys_count() {
        for (old, new) in [
            ("x: ~\n", "x: null\n"),
            ("x: !!binary aGk=\n", "x: aGk=\n"),
            ("1: x\n", "'1': x\n"),
            ("x: !foo bar\n", "x: bar\n"),
            ("x: !!set {a}\n", "x:\n  a: null\n"),
            ("x: 1.50\n", "x: 1.5\n"),
        ] {
            assert!(changed(old, new, &FLAT).is_some(), "{old:?} -> {new:?}");
        }
        assert_eq!(changed("x: !!int '7'\n", "x: 7\n", &FLAT), None);
        assert_eq!(changed("x: !!str 5\n", "x: '5'\n", &FLAT), None);
    }

    #[test]
    fn unknown_keys_are_found_with_their_path_line_and_neighbours() {
        let text = "id: 1\nidd: 2\nlist:\n- n: 1\n  m: 2\n";
        let found = unknown_keys(text, &FLAT);
        assert_eq!(
            found,
            vec![
                UnknownKey {
                    path: "idd".into(),
                    key: "idd".into(),
                    line: 2,
                    known: vec!["id", "list"],
                },
                UnknownKey {
                    path: "list[0].m".into(),
                    key: "m".into(),
                    line: 5,
                    known: vec!["n"],
                },
            ]
        );
        assert_eq!(unknown_keys("id: [", &FLAT), vec![]);
    }

    #[test]
    fn custom_tags_of_unknown_values_are_found() {
        let text = "id: !foo 1\nx: &a !bar [!<!baz> y, !q,]\n";
        let spans: Vec<&str> = custom_tags(text, &FLAT)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(spans, vec!["!bar", "!<!baz>", "!q"]);
    }
}
