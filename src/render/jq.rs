//! `--jq EXPR`: a JSON document filtered with a jq expression, as `gh --jq` does, by jaq (a maintained jq
//! in Rust), so scripts need no jq installed. Strings print as they are; other values as compact JSON,
//! one result per line.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use crate::exit;

type Filter = jaq_core::Filter<data::JustLut<Val>>;

fn compile(expr: &str) -> anyhow::Result<Filter> {
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

/// The results of `expr` on the JSON text `json`, each as one line.
pub fn run(expr: &str, json: &str) -> anyhow::Result<String> {
    let filter = compile(expr)?;
    let input = jaq_json::read::parse_single(json.as_bytes())
        .map_err(|e| exit::other(format!("--jq: cannot read the document: {e}")))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut out = String::new();
    for value in filter.id.run((ctx, input)).map(unwrap_valr) {
        match value {
            Ok(Val::TStr(bytes)) => out.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(other) => out.push_str(&other.to_string()),
            Err(e) => return Err(exit::other(format!("--jq: {e}"))),
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_print_raw_and_everything_else_as_json() {
        let doc = r#"{"id": 7, "cc": [{"email": "bob@agency.example"}], "subject": "Hi\nthere"}"#;
        assert_eq!(run(".id", doc).unwrap(), "7\n");
        assert_eq!(run(".cc[].email", doc).unwrap(), "bob@agency.example\n");
        assert_eq!(run(".subject", doc).unwrap(), "Hi\nthere\n");
        assert_eq!(
            run("[.cc[] | .email]", doc).unwrap(),
            "[\"bob@agency.example\"]\n"
        );
    }

    #[test]
    fn a_bad_expression_is_a_usage_error() {
        let err = check(".a |").unwrap_err();
        assert_eq!(crate::exit::code_of(&err), 2);
        assert!(run("error(\"boom\")", "{}").is_err());
    }
}
