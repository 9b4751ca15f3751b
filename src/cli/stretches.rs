//! `slouchwatch stretches`: the catalog, or what helps with one problem.

use std::process::ExitCode;

use crate::coach::{Catalog, Coach, SuggestionContext, Target};

/// `slouchwatch stretches`: the catalog, or what helps with one problem.
pub(super) fn show_stretches(problem: Option<Target>, json: bool) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::built_in()?;
    let coach = Coach::new(catalog.clone());
    let context = SuggestionContext { at_desk: true, work_hours: true, answers: Vec::new() };
    let entries: Vec<&crate::coach::Entry> = match problem {
        Some(target) => coach.ranked(target, &context),
        None => catalog.entries.iter().collect(),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "entries": entries,
                "ergonomic": catalog.ergonomic,
                "see_a_professional": catalog.see_a_professional,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    for entry in entries {
        let sides = if entry.both_sides { " each side" } else { "" };
        println!("{} - {}", entry.name, entry.summary);
        let places: Vec<&str> = entry.places.iter().map(|place| place.words()).collect();
        let rounds = crate::report::count_words(entry.rounds, "round", "rounds");
        println!("  hold {} s{sides}, {rounds}; {}", entry.hold_s, places.join(", "));
        for (number, step) in entry.steps.iter().enumerate() {
            println!("  {}. {step}", number + 1);
        }
        println!("  Breathing: {}", entry.breathing);
        for caution in &entry.cautions {
            println!("  Careful: {caution}");
        }
        println!();
    }
    if problem.is_none() {
        println!("Desk changes:");
        for fix in &catalog.ergonomic {
            println!("  {}: {}", fix.title, fix.text);
        }
        println!();
    }
    println!("{}", catalog.see_a_professional.intro);
    for sign in &catalog.see_a_professional.signs {
        println!("  - {sign}");
    }
    Ok(ExitCode::SUCCESS)
}
