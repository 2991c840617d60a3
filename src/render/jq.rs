//! `--jq EXPR`: a JSON document filtered with a jq expression, as `gh --jq` does, by jaq (a maintained jq
//! in Rust), so scripts need no jq installed. Strings print as they are; other values as compact JSON,
//! one result per line, written as they come.

use std::io::Write;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use crate::exit;

type Filter = jaq_core::Filter<data::JustLut<Val>>;

/// jq functions tkt leaves out: `fromjson` parses text that strangers wrote (a body of a million `[`)
/// with no bound on its nesting.
const LEFT_OUT: [&str; 1] = ["fromjson"];

/// How deep the filter may recurse, in stack: jaq recurses on the host's stack, so it runs on a thread
/// with a large one, and an expression that recurses without end fails there rather than in tkt.
const STACK: usize = 256 * 1024 * 1024;

/// The names an expression calls, outside its string literals.
fn names(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut word = String::new();
    let mut chars = expr.chars();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        names.push(std::mem::take(&mut word));
        if c == '"' {
            // Skip the literal, escapes included.
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
        }
    }
    names.push(word);
    names
}

fn compile(expr: &str) -> anyhow::Result<Filter> {
    if let Some(name) = names(expr).iter().find(|n| LEFT_OUT.contains(&n.as_str())) {
        return Err(exit::usage(format!(
            "--jq: {name} is not available in tkt's jq (it would parse ticket text without bounds)"
        )));
    }
    let program = File {
        code: expr,
        path: (),
    };
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let refused = || exit::usage(format!("--jq: {expr:?} is not a jq expression"));
    let modules = Loader::new(defs)
        .load(&arena, program)
        .map_err(|_| refused())?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|_| refused())
}

/// Checks an expression before anything else runs, so a typo never follows a write.
pub fn check(expr: &str) -> anyhow::Result<()> {
    compile(expr).map(|_| ())
}

/// Writes the results of `expr` on the JSON text `json` to `out`, one per line, each passed through
/// `shown` (the sanitizer on a terminal) as it comes.
pub fn run(
    expr: &str,
    json: &str,
    out: &mut (dyn Write + Send),
    shown: fn(String) -> String,
) -> anyhow::Result<()> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, || filter(expr, json, out, shown))
            .map_err(|e| exit::other(format!("--jq: cannot start: {e}")))?
            .join()
            .unwrap_or_else(|_| Err(exit::other("--jq: the expression failed")))
    })
}

fn filter(
    expr: &str,
    json: &str,
    out: &mut (dyn Write + Send),
    shown: fn(String) -> String,
) -> anyhow::Result<()> {
    let filter = compile(expr)?;
    let input = jaq_json::read::parse_single(json.as_bytes())
        .map_err(|e| exit::other(format!("--jq: cannot read the document: {e}")))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    for value in filter.id.run((ctx, input)).map(unwrap_valr) {
        let text = match value {
            Ok(Val::TStr(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            Ok(other) => other.to_string(),
            Err(e) => return Err(exit::other(format!("--jq: {e}"))),
        };
        writeln!(out, "{}", shown(text))?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(expr: &str, doc: &str) -> anyhow::Result<String> {
        let mut out = Vec::new();
        run(expr, doc, &mut out, |s| s)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn strings_print_raw_and_everything_else_as_json() {
        let doc = r#"{"id": 7, "cc": [{"email": "bob@agency.example"}], "subject": "Hi\nthere"}"#;
        assert_eq!(results(".id", doc).unwrap(), "7\n");
        assert_eq!(results(".cc[].email", doc).unwrap(), "bob@agency.example\n");
        assert_eq!(results(".subject", doc).unwrap(), "Hi\nthere\n");
        assert_eq!(
            results("[.cc[] | .email]", doc).unwrap(),
            "[\"bob@agency.example\"]\n"
        );
    }

    #[test]
    fn a_bad_expression_is_a_usage_error_and_fromjson_is_left_out() {
        let err = check(".a |").unwrap_err();
        assert_eq!(crate::exit::code_of(&err), 2);
        assert_eq!(
            crate::exit::code_of(&check(".body | fromjson").unwrap_err()),
            2
        );
        assert!(results("error(\"boom\")", "{}").is_err());
    }
}
