//! The layering of `src/`: which top-level module may import which. The table is the one in
//! `docs/ARCHITECTURE.md` ("Who may import whom"), read from there so the picture and the check
//! never disagree. A single crate gets no help from Cargo against import loops; this test is it.
//!
//! Read: every `crate::…` path (and `super::…` climbing to the crate's root) in `src/`, outside
//! comments and test code (`#[cfg(test)]` items). A path into a module the table does not allow
//! fails, naming the file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The document holding the table, from the crate's root.
const ARCHITECTURE: &str = "docs/ARCHITECTURE.md";
/// The heading of the table's section.
const TABLE_HEADING: &str = "## Who may import whom";

type Allowed = BTreeMap<String, BTreeSet<String>>;

/// One import of another top-level module.
#[derive(Debug, Clone, PartialEq)]
struct Import {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The table: rows `| \`module\` | \`a\`, \`b\` |` under [`TABLE_HEADING`], up to the next heading.
fn allowed_from(markdown: &str) -> Allowed {
    let section = markdown
        .split_once(TABLE_HEADING)
        .unwrap_or_else(|| panic!("{ARCHITECTURE} has no section {TABLE_HEADING:?}"))
        .1;
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut allowed = Allowed::new();
    for row in section.lines().filter(|line| line.starts_with("| `")) {
        let names: Vec<String> = row.split('`').skip(1).step_by(2).map(str::to_owned).collect();
        let (module, may) = names.split_first().expect("a row names its module");
        allowed.insert(module.clone(), may.iter().cloned().collect());
    }
    allowed
}

/// The module path of a file under `src/` (`engine/sinks/status.rs` -> engine, sinks, status;
/// `engine/mod.rs` -> engine).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The source without comments and without test code: blanked line by line, so line numbers hold.
fn code_lines(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut code = Vec::with_capacity(lines.len());
    let mut index = 0;
    while index < lines.len() {
        let trimmed = lines[index].trim();
        if trimmed == "#[cfg(test)]" {
            // Skip the attribute and the item it marks: a block up to its matching brace, or one line.
            code.push(String::new());
            index += 1;
            let mut depth = 0i32;
            while index < lines.len() {
                let line = lines[index];
                depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
                code.push(String::new());
                index += 1;
                if depth <= 0 && (line.trim_end().ends_with('}') || line.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let without_comment = match lines[index].find("//") {
            Some(at) => &lines[index][..at],
            None => lines[index],
        };
        code.push(without_comment.to_owned());
        index += 1;
    }
    code
}

/// The top-level names a path or brace group starting at `rest` reaches: `engine::X` -> engine,
/// `{engine::X, control}` -> engine, control.
fn heads(rest: &str) -> Vec<String> {
    let ident = |text: &str| text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut names = Vec::new();
    let (mut depth, mut start) = (0, true);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && depth == 0 && !c.is_whitespace() => {
                names.push(ident(&group[at..]));
                start = false;
            }
            _ => {}
        }
    }
    names
}

/// Every import of another top-level module in one file (`relative` to `src/`). A brace group
/// spread over several lines is read from its first line on.
fn imports_of(relative: &Path, source: &str) -> Vec<Import> {
    let module = module_path(relative);
    let Some(own) = module.first().cloned() else {
        return Vec::new(); // lib.rs and main.rs sit above every module
    };
    let code = code_lines(source);
    let mut found = Vec::new();
    for (index, line) in code.iter().enumerate() {
        let mut targets = Vec::new();
        for (at, _) in line.match_indices("crate::") {
            let before = line[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // e.g. `$crate::`, `my_crate::`
            }
            let rest: String = std::iter::once(&line[at + "crate::".len()..])
                .chain(code[index + 1..].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            targets.extend(heads(&rest));
        }
        // `super::` climbing to the crate's root from a top-level module's own files.
        if let Some(at) = line.find("super::") {
            let (mut tail, mut climbs) = (&line[at..], 0);
            while let Some(rest) = tail.strip_prefix("super::") {
                (tail, climbs) = (rest, climbs + 1);
            }
            if climbs == module.len() {
                targets.extend(heads(tail));
            }
        }
        for to in targets {
            if !to.is_empty() && to != own && to != "self" {
                found.push(Import {
                    file: format!("src/{}", relative.display()),
                    line: index + 1,
                    from: own.clone(),
                    to,
                });
            }
        }
    }
    found
}

/// The imports the table does not allow.
fn violations(imports: &[Import], allowed: &Allowed) -> Vec<String> {
    imports
        .iter()
        .filter(|import| !allowed.get(&import.from).is_some_and(|may| may.contains(&import.to)))
        .map(|import| {
            format!(
                "{}:{}: `{}` imports `{}`, which {ARCHITECTURE} does not allow",
                import.file, import.line, import.from, import.to
            )
        })
        .collect()
}

/// A loop in the table itself, if any (a table that allows one would let the code grow one).
fn table_loop(allowed: &Allowed) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        allowed: &Allowed,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut cycle = path[at..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if !done.insert(module.to_owned()) {
            return None;
        }
        path.push(module.to_owned());
        for next in allowed.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, allowed, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    allowed.keys().find_map(|module| visit(module, allowed, &mut Vec::new(), &mut done))
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_module_imports_one_the_architecture_does_not_allow() {
    let allowed = allowed_from(&std::fs::read_to_string(root().join(ARCHITECTURE)).unwrap());
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut imports = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        if let Some(module) = module_path(relative).first() {
            modules.insert(module.clone());
        }
        imports.extend(imports_of(relative, &std::fs::read_to_string(file).unwrap()));
    }
    let unnamed: Vec<&String> = modules.iter().filter(|module| !allowed.contains_key(*module)).collect();
    assert!(unnamed.is_empty(), "{ARCHITECTURE}'s table does not name these modules of src/: {unnamed:?}");
    assert!(imports.len() > 100, "the reader found only {} imports: is it reading src/?", imports.len());
    let wrong = violations(&imports, &allowed);
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
    assert_eq!(table_loop(&allowed), None, "the table allows a loop");
}

/// A planted upward import (the engine naming the window) is caught, with its file and line,
/// in every spelling: a path, a brace group, a group over lines and `super::` from a top file.
#[test]
fn a_planted_upward_import_fails_naming_the_file_and_line() {
    let allowed = allowed_from(&format!(
        "{TABLE_HEADING}\n\n| module | may import |\n|---|---|\n| `engine` | `posture` |\n| `posture` | |\n| `ui` | `engine`, `posture` |\n"
    ));
    let planted = "//! crate::ui in a comment is not an import\nuse crate::posture::Problem;\nuse crate::ui::SlouchApp;\n\
                   use crate::{posture::Verdict,\n    ui::theme};\nfn f() { let _ = crate::ui::panels::REPLAY_ENDED; }\n\
                   #[cfg(test)]\nmod tests {\n    use crate::ui::X;\n}\n";
    let imports = imports_of(Path::new("engine/worker.rs"), planted);
    let wrong = violations(&imports, &allowed);
    assert_eq!(
        wrong,
        vec![
            "src/engine/worker.rs:3: `engine` imports `ui`, which docs/ARCHITECTURE.md does not allow",
            "src/engine/worker.rs:4: `engine` imports `ui`, which docs/ARCHITECTURE.md does not allow",
            "src/engine/worker.rs:6: `engine` imports `ui`, which docs/ARCHITECTURE.md does not allow",
        ]
    );
    let from_the_top = imports_of(Path::new("engine/mod.rs"), "use super::ui::theme;\n");
    assert_eq!(violations(&from_the_top, &allowed).len(), 1, "{from_the_top:?}");
    let inside = imports_of(Path::new("engine/sinks/mod.rs"), "use super::Snapshot;\nuse super::super::ui::X;\n");
    assert_eq!(inside.iter().map(|i| (i.line, i.to.as_str())).collect::<Vec<_>>(), vec![(2, "ui")]);
    assert!(violations(&imports_of(Path::new("ui/app.rs"), "use crate::engine::Snapshot;\n"), &allowed).is_empty());

    let mut looping = allowed.clone();
    looping.get_mut("posture").unwrap().insert("engine".into());
    assert_eq!(table_loop(&looping), Some(vec!["engine".into(), "posture".into(), "engine".into()]));
}
