//! The coach's rules: which entry to suggest for a problem, which short routine fits a movement
//! break, and what to advise at the end of a day. Pure: the history comes in as plain facts.

use std::collections::VecDeque;

use serde::Serialize;

use super::catalog::{Catalog, Entry, Kind, Need, Place, Target};
use crate::posture::Problem;

/// How many recent suggestions rotation remembers; each is pushed down the ranking.
pub const ROTATION_MEMORY: usize = 3;
/// End of day: this many slouch episodes calls for heat and self-massage.
pub const MANY_EPISODES: u32 = 6;
/// End of day: raised shoulders for this share of monitored time calls for heat and massage.
pub const RAISED_SHOULDERS_SHARE: f64 = 0.10;
/// End of day: a problem for this share of monitored time is a pattern that needs a desk change.
pub const PERSISTENT_SHARE: f64 = 0.25;
/// Strengthening sessions a week the guide recommends (10-15 minutes, three times a week).
pub const STRENGTHENING_PER_WEEK: u32 = 3;

/// How the user answered a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// They did it.
    Done,
    /// They declined this time.
    NotNow,
}

/// What the ranking knows about the moment and the user.
#[derive(Debug, Clone, Default)]
pub struct SuggestionContext {
    /// The user is at the desk now (a warning while monitoring): floor exercises and heat are
    /// not immediate fixes.
    pub at_desk: bool,
    /// Within working hours: desk-friendly entries first.
    pub work_hours: bool,
    /// Recent answers (entry id, answer), oldest first.
    pub answers: Vec<(String, Answer)>,
}

fn rank_score(entry: &Entry, target: Target, context: &SuggestionContext, recent: &VecDeque<String>) -> i32 {
    let mut score = 0;
    if entry.targets.first() == Some(&target) {
        score += 20;
    }
    if context.work_hours || context.at_desk {
        if entry.places.contains(&Place::Desk) {
            score += 100;
        } else if entry.places.contains(&Place::Standing) {
            score += 50;
        }
    }
    if let Some(position) = recent.iter().rev().position(|id| *id == entry.id) {
        // The latest suggestion is pushed down most.
        score -= 150 - 30 * position as i32;
    }
    for (id, answer) in &context.answers {
        if *id == entry.id {
            score += match answer {
                Answer::Done => 5,
                Answer::NotNow => -40,
            };
        }
    }
    score
}

/// Suggestions for one problem, best first, taking turns across calls.
#[derive(Debug, Clone)]
pub struct Coach {
    catalog: Catalog,
    recent: VecDeque<String>,
}

impl Coach {
    /// A coach over `catalog` with no suggestion made yet.
    pub fn new(catalog: Catalog) -> Coach {
        Coach { catalog, recent: VecDeque::new() }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Everything that helps with `target`, ranked for `context` (without recording anything).
    /// At the desk, floor-only exercises and heat are left out: they are not immediate fixes.
    pub fn ranked(&self, target: Target, context: &SuggestionContext) -> Vec<&Entry> {
        let mut candidates: Vec<(usize, i32, &Entry)> = self
            .catalog
            .entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.targets.contains(&target))
            .filter(|(_, entry)| !(context.at_desk && (entry.floor_only() || entry.kind == Kind::Heat)))
            .map(|(order, entry)| (order, rank_score(entry, target, context, &self.recent), entry))
            .collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.into_iter().map(|(_, _, entry)| entry).collect()
    }

    /// The suggestion for a warning about `problems` (the first is the main one); records it so
    /// the next warning suggests something else.
    pub fn suggest(&mut self, problems: &[Problem], context: &SuggestionContext) -> Option<Entry> {
        let main = *problems.first()?;
        let entry = self.ranked(main.into(), context).first().map(|entry| (*entry).clone())?;
        self.recent.push_back(entry.id.clone());
        while self.recent.len() > ROTATION_MEMORY {
            self.recent.pop_front();
        }
        Some(entry)
    }
}

/// A short movement-break routine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Routine {
    /// Entry ids in order.
    pub entries: Vec<String>,
    /// Total time, seconds.
    pub total_s: u32,
}

/// A routine for a movement break of `minutes` (1, 3 or 5 fit best): seated stretches and, when
/// there is time, standing up to walk. Never a floor exercise: those belong to the
/// strengthening plan.
pub fn break_routine(catalog: &Catalog, minutes: u32) -> Routine {
    let budget = minutes * 60;
    let suitable = |entry: &&Entry| {
        entry.targets.contains(&Target::Need(Need::SittingLong))
            && matches!(entry.kind, Kind::Stretch | Kind::Habit)
            && !entry.places.iter().any(|place| matches!(place, Place::Floor | Place::Wall))
    };
    let mut candidates: Vec<&Entry> = catalog.entries.iter().filter(suitable).collect();
    // Walking first when there is time for it, then the seated stretches, shortest first.
    candidates.sort_by_key(|entry| (!(entry.id == "walk" && minutes >= 3), entry.duration_s()));
    let mut routine = Routine { entries: Vec::new(), total_s: 0 };
    for entry in candidates {
        if routine.total_s + entry.duration_s() <= budget {
            routine.total_s += entry.duration_s();
            routine.entries.push(entry.id.clone());
        }
    }
    routine
}

/// The numbers of one day that the end-of-day advice looks at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayFacts {
    /// Seconds monitored at the desk.
    pub monitored_s: f64,
    /// Slouch episodes.
    pub episodes: u32,
    /// Seconds with each problem.
    pub problem_s: Vec<(Problem, f64)>,
    /// Strengthening sessions done in the last seven days.
    pub strengthening_this_week: u32,
}

/// One piece of end-of-day advice.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Advice {
    /// Do this entry.
    Entry {
        /// Entry id.
        id: String,
        /// Why, in plain words.
        reason: String,
    },
    /// Change the desk.
    Ergonomic {
        /// Fix id.
        id: String,
        /// Why.
        reason: String,
    },
}

/// Advice for the end of a day. A day with nothing monitored gets none.
pub fn end_of_day(catalog: &Catalog, day: &DayFacts) -> Vec<Advice> {
    let mut advice = Vec::new();
    if day.monitored_s <= 0.0 {
        return advice;
    }
    let share = |problem: Problem| {
        day.problem_s.iter().filter(|(p, _)| *p == problem).map(|(_, s)| s).sum::<f64>() / day.monitored_s
    };
    let raised = share(Problem::ShouldersRaised);
    if day.episodes >= MANY_EPISODES || raised >= RAISED_SHOULDERS_SHARE {
        let reason = if raised >= RAISED_SHOULDERS_SHARE {
            format!("your shoulders were raised for {:.0}% of the day", raised * 100.0)
        } else {
            format!("you slouched {} times today", day.episodes)
        };
        for id in ["heat", "tennis_ball_massage"] {
            if catalog.entry(id).is_some() {
                advice.push(Advice::Entry { id: id.to_owned(), reason: reason.clone() });
            }
        }
    }
    for fix in &catalog.ergonomic {
        let share = share(fix.pattern);
        if share >= PERSISTENT_SHARE {
            advice.push(Advice::Ergonomic {
                id: fix.id.clone(),
                reason: format!("{} for {:.0}% of the time watched today", fix.pattern.words(), share * 100.0),
            });
        }
    }
    if day.strengthening_this_week < STRENGTHENING_PER_WEEK && catalog.entry("strengthening_routine").is_some() {
        advice.push(Advice::Entry {
            id: "strengthening_routine".into(),
            reason: format!(
                "{} of {STRENGTHENING_PER_WEEK} strengthening sessions this week",
                day.strengthening_this_week
            ),
        });
    }
    advice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coach() -> Coach {
        Coach::new(Catalog::built_in().unwrap())
    }

    fn at_work() -> SuggestionContext {
        SuggestionContext { at_desk: true, work_hours: true, answers: vec![] }
    }

    #[test]
    fn at_the_desk_suggestions_are_desk_friendly_and_never_on_the_floor() {
        let coach = coach();
        for problem in Problem::ALL {
            let ranked = coach.ranked(problem.into(), &at_work());
            assert!(ranked.len() >= 2, "{problem:?}");
            assert!(
                ranked[0].at_desk() || ranked[0].places.contains(&Place::Standing),
                "{problem:?}: {}",
                ranked[0].id
            );
            assert!(ranked.iter().all(|entry| !entry.floor_only() && entry.kind != Kind::Heat), "{problem:?}");
        }
        assert_eq!(coach.ranked(Target::Problem(Problem::ForwardHead), &at_work())[0].id, "chin_tuck");
    }

    #[test]
    fn away_from_the_desk_floor_exercises_are_allowed() {
        let coach = coach();
        let evening = SuggestionContext::default();
        let ranked = coach.ranked(Target::Need(Need::UpperBackTension), &evening);
        assert!(ranked.iter().any(|entry| entry.floor_only()));
    }

    #[test]
    fn suggestions_rotate() {
        let mut coach = coach();
        let first = coach.suggest(&[Problem::ForwardHead], &at_work()).unwrap().id;
        let second = coach.suggest(&[Problem::ForwardHead], &at_work()).unwrap().id;
        let third = coach.suggest(&[Problem::ForwardHead], &at_work()).unwrap().id;
        assert_ne!(first, second);
        assert_ne!(second, third);
        assert_ne!(first, third);
    }

    #[test]
    fn not_now_answers_push_an_entry_down() {
        let coach = coach();
        let declined = SuggestionContext {
            answers: vec![("chin_tuck".into(), Answer::NotNow), ("chin_tuck".into(), Answer::NotNow)],
            ..at_work()
        };
        assert_ne!(coach.ranked(Target::Problem(Problem::ForwardHead), &declined)[0].id, "chin_tuck");
    }

    #[test]
    fn break_routines_fit_the_time_and_stay_off_the_floor() {
        let catalog = Catalog::built_in().unwrap();
        for minutes in [1, 3, 5] {
            let routine = break_routine(&catalog, minutes);
            assert!(!routine.entries.is_empty(), "{minutes} min");
            assert!(routine.total_s <= minutes * 60, "{minutes} min: {routine:?}");
            for id in &routine.entries {
                let entry = catalog.entry(id).unwrap();
                assert!(!entry.places.contains(&Place::Floor), "{id}");
            }
        }
        assert!(!break_routine(&catalog, 1).entries.contains(&"walk".to_owned()));
        assert_eq!(break_routine(&catalog, 3).entries[0], "walk");
    }

    #[test]
    fn end_of_day_advice_follows_the_day() {
        let catalog = Catalog::built_in().unwrap();
        let hour = 3600.0;
        let calm = DayFacts {
            monitored_s: 6.0 * hour,
            episodes: 2,
            problem_s: vec![(Problem::ForwardHead, 0.2 * hour)],
            strengthening_this_week: 3,
        };
        assert!(end_of_day(&catalog, &calm).is_empty());

        let tense = DayFacts {
            episodes: 8,
            problem_s: vec![(Problem::ForwardHead, 2.0 * hour), (Problem::ShouldersRaised, 0.2 * hour)],
            strengthening_this_week: 1,
            ..calm.clone()
        };
        let advice = end_of_day(&catalog, &tense);
        let ids: Vec<&str> = advice
            .iter()
            .map(|a| match a {
                Advice::Entry { id, .. } | Advice::Ergonomic { id, .. } => id.as_str(),
            })
            .collect();
        assert_eq!(ids, ["heat", "tennis_ball_massage", "screen_height", "strengthening_routine"]);

        let shrugging = DayFacts { episodes: 1, problem_s: vec![(Problem::ShouldersRaised, hour)], ..calm.clone() };
        let advice = end_of_day(&catalog, &shrugging);
        assert!(matches!(&advice[0], Advice::Entry { id, reason } if id == "heat" && reason.contains("raised")));
        assert!(end_of_day(&catalog, &DayFacts::default()).is_empty(), "no data, no advice");
    }
}
