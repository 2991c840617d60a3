//! libyaml's parser events as a safe iterator: the very parser serde_yaml deserializes with, so that
//! tkt's guard and position index read a file exactly as the codec does and can never disagree with it.
//! All of tkt's unsafe code is in this file.

use std::ffi::CStr;
use std::mem::MaybeUninit;

use libyaml_rs as sys;

/// Where an event starts or ends: a byte offset, and a line and column counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn of(sys: sys::yaml_mark_t) -> Mark {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Mark {
            index: size(sys.index),
            line: size(sys.line).saturating_add(1),
            column: size(sys.column).saturating_add(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar as written: its tag if it has one (resolved, e.g. `tag:yaml.org,2002:int`), its decoded
/// text and the style it was written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub tag: Option<String>,
    pub value: String,
    pub style: Style,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias,
    Scalar(Scalar),
    /// The start of a sequence, with its tag if any.
    SequenceStart(Option<String>),
    SequenceEnd,
    /// The start of a mapping, with its tag if any.
    MappingStart(Option<String>),
    MappingEnd,
}

/// What libyaml said was wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub problem: String,
    pub line: usize,
}

/// The events of a text, in order; ends after the stream's end or the first error.
pub struct Events<'input> {
    // Boxed: libyaml keeps a pointer to the parser inside the parser, so it must never move.
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    initialized: bool,
    done: bool,
    reached: usize,
    /// The anchor of the last event (`&name` on a node), or the anchor an alias (`*name`) refers to.
    anchor: Option<String>,
    _input: std::marker::PhantomData<&'input str>,
}

impl<'input> Events<'input> {
    pub fn new(input: &'input str) -> Events<'input> {
        let mut parser = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        let raw = parser.as_mut_ptr();
        // SAFETY: `raw` points to memory owned by the box, which outlives the parser (see Drop); the
        // input is borrowed for 'input, as long as `Events` lives.
        let initialized = unsafe { !sys::yaml_parser_initialize(raw).fail };
        if initialized {
            // SAFETY: the parser was just initialized; `input` is borrowed for 'input, which the
            // `PhantomData` ties to `Events`, so libyaml never reads it after it is gone.
            unsafe {
                sys::yaml_parser_set_encoding(raw, sys::YAML_UTF8_ENCODING);
                sys::yaml_parser_set_input_string(raw, input.as_ptr(), input.len() as u64);
            }
        }
        Events {
            parser,
            initialized,
            done: !initialized,
            reached: 0,
            anchor: None,
            _input: std::marker::PhantomData,
        }
    }

    /// The anchor the last event defined (`&name`), or for an alias the anchor it names (`*name`).
    pub fn anchor(&self) -> Option<&str> {
        self.anchor.as_deref()
    }

    /// How far into the text the events so far reach, in bytes.
    pub fn reached(&self) -> usize {
        self.reached
    }

    fn error(&self) -> ParseError {
        // SAFETY: the parser was initialized; `problem` is null or a static C string.
        let (problem, mark) = unsafe {
            let parser = &*self.parser.as_ptr();
            (parser.problem, parser.problem_mark)
        };
        let problem = if problem.is_null() {
            "the YAML parser failed".to_string()
        } else {
            unsafe { CStr::from_ptr(problem) }
                .to_string_lossy()
                .into_owned()
        };
        ParseError {
            problem,
            line: Mark::of(mark).line,
        }
    }
}

impl Iterator for Events<'_> {
    type Item = Result<(Event, Mark), ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut raw = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser is initialized; a successful parse initializes the event, which is read
        // once and then deleted.
        unsafe {
            if sys::yaml_parser_parse(self.parser.as_mut_ptr(), raw.as_mut_ptr()).fail {
                self.done = true;
                return Some(Err(self.error()));
            }
            let event = raw.as_mut_ptr();
            let converted = convert(&*event);
            self.anchor = anchor(&*event);
            let mark = Mark::of((*event).start_mark);
            self.reached = Mark::of((*event).end_mark).index;
            sys::yaml_event_delete(event);
            if converted == Event::StreamEnd {
                self.done = true;
            }
            Some(Ok((converted, mark)))
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: initialized by `yaml_parser_initialize` and deleted exactly once.
            unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
        }
    }
}

/// SAFETY: `event` must be an event libyaml just produced and not yet deleted.
unsafe fn convert(event: &sys::yaml_event_t) -> Event {
    unsafe {
        match event.type_ {
            sys::YAML_STREAM_START_EVENT => Event::StreamStart,
            sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            sys::YAML_ALIAS_EVENT => Event::Alias,
            sys::YAML_SCALAR_EVENT => {
                let data = event.data.scalar;
                let length = usize::try_from(data.length).unwrap_or(0);
                let bytes = if data.value.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(data.value, length)
                };
                Event::Scalar(Scalar {
                    tag: text(data.tag),
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    style: style(data.style),
                })
            }
            sys::YAML_SEQUENCE_START_EVENT => {
                Event::SequenceStart(text(event.data.sequence_start.tag))
            }
            sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            sys::YAML_MAPPING_START_EVENT => {
                Event::MappingStart(text(event.data.mapping_start.tag))
            }
            sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            // The stream end, and (never produced by a successful parse) "no event".
            _ => Event::StreamEnd,
        }
    }
}

/// SAFETY: `event` must be an event libyaml just produced and not yet deleted.
unsafe fn anchor(event: &sys::yaml_event_t) -> Option<String> {
    unsafe {
        match event.type_ {
            sys::YAML_ALIAS_EVENT => text(event.data.alias.anchor),
            sys::YAML_SCALAR_EVENT => text(event.data.scalar.anchor),
            sys::YAML_SEQUENCE_START_EVENT => text(event.data.sequence_start.anchor),
            sys::YAML_MAPPING_START_EVENT => text(event.data.mapping_start.anchor),
            _ => None,
        }
    }
}

/// SAFETY: `ptr` is null or a NUL-terminated string owned by the event.
unsafe fn text(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let c = unsafe { CStr::from_ptr(ptr.cast()) };
    Some(c.to_string_lossy().into_owned())
}

fn style(style: sys::yaml_scalar_style_t) -> Style {
    match style {
        sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => Style::SingleQuoted,
        sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => Style::DoubleQuoted,
        sys::YAML_LITERAL_SCALAR_STYLE => Style::Literal,
        sys::YAML_FOLDED_SCALAR_STYLE => Style::Folded,
        _ => Style::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Result<(Event, Mark), ParseError>> {
        Events::new(text).collect()
    }

    #[test]
    fn a_mapping_gives_its_events_with_lines() {
        let all = events("a: 1\nb: [x, 'y']\n");
        let lines: Vec<usize> = all.iter().map(|e| e.as_ref().unwrap().1.line).collect();
        assert_eq!(lines, vec![1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3]);
        assert!(matches!(&all[5], Ok((Event::Scalar(s), _)) if s.value == "b"));
        assert!(
            matches!(&all[8], Ok((Event::Scalar(s), _)) if s.value == "y" && s.style == Style::SingleQuoted)
        );
    }

    #[test]
    fn an_error_ends_the_events_with_its_line() {
        let all = events("a: 1\nb: [\n");
        let last = all.last().unwrap();
        assert!(last.is_err(), "{all:?}");
        assert_eq!(last.as_ref().unwrap_err().line, 3);
    }

    #[test]
    fn tags_are_resolved() {
        let all = events("a: !!int '7'\nb: !foo x\n");
        let tags: Vec<Option<String>> = all
            .iter()
            .filter_map(|e| match e {
                Ok((Event::Scalar(s), _)) => Some(s.tag.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            tags,
            vec![
                None,
                Some("tag:yaml.org,2002:int".into()),
                None,
                Some("!foo".into())
            ]
        );
    }
}
