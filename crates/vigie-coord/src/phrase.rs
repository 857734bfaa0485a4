//! Explanations as codes with arguments, which each channel puts in its reader's language:
//! the web UI from its dictionaries (a phrase's code is its key there), the command line and
//! the API's `reason`, `why_not` and `explanation` fields from the English here.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One sentence of an explanation: a stable code and its arguments.
///
/// An argument is a string (a name: an organisation, ISO3 codes, a day, a task's id or title;
/// or, by the argument's name, a code the reader's language names: `type` a task type,
/// `status` a task status, `level` and `chosen_level` an organisation's level), a number (an
/// amount, shown with at most one decimal; a score when its name ends in `advantage`, with
/// two), or a list of phrases (shown one after the other, separated by "; ").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phrase {
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub args: Map<String, Value>,
}

/// Every code and its English, `{name}` standing for the argument `name`.
pub const ENGLISH: &[(&str, &str)] = &[
    ("coord.pinned", "Pinned by a what-if."),
    (
        "coord.mandate",
        "{org} ({level} level) holds the {type} mandate and can act in {countries} on {date}.",
    ),
    (
        "coord.mandateConsent",
        "{org} ({level} level) holds the {type} mandate and can act in {countries} on {date}, with the host-state consent it needs.",
    ),
    ("coord.onlyCompetent", "It is the only competent organisation."),
    (
        "coord.lowestLevel",
        "It is at the lowest competent level among the {n} eligible organisations (subsidiarity).",
    ),
    (
        "coord.lowerLevelsBusy",
        "Lower levels ({orgs}) are competent but their capacity goes to other tasks.",
    ),
    (
        "coord.advantageWhy",
        "Comparative advantage {advantage}: {rationale}.",
    ),
    ("coord.advantage", "Comparative advantage {advantage}."),
    ("coord.noAdvantage", "No comparative advantage recorded (0)."),
    (
        "coord.uses",
        "It uses {effort} of the {days} person-days left for {from}–{until}.",
    ),
    ("coord.excluded", "{org} is excluded (what-if)"),
    ("coord.excludedWhy", "{org} {reason}"),
    (
        "coord.unreadable",
        "{org} cannot read this task under its audience ({marking}): share it with them first",
    ),
    (
        "coord.excludedTask",
        "{org} is excluded for this task (what-if)",
    ),
    ("coord.declined", "{org} declined this task"),
    ("coord.noMandate", "{org} has no {type} mandate"),
    (
        "coord.outOfScope",
        "{org} cannot act in {country} on {date} (out of scope)",
    ),
    (
        "coord.consentTask",
        "the task needs host-state consent, not obtained, before {org} can act",
    ),
    (
        "coord.consentCountry",
        "{org} needs host-state consent to act in {country} on {date}, not obtained",
    ),
    (
        "coord.noCapacityPeriod",
        "{org} has no capacity period covering the deadline {deadline}",
    ),
    (
        "coord.tooBig",
        "{org} has {days} person-days and a budget of {budget} left for the period of the deadline {deadline}; the task needs {effort} and {cost}",
    ),
    (
        "coord.pinnedElsewhere",
        "{org} is eligible, but the task is pinned to {chosen} (what-if)",
    ),
    (
        "coord.worthMore",
        "{org} would be worth more here ({value} vs {chosen_value}), but its capacity for the period goes to tasks that add more in total: {days} person-days and a budget of {budget} left after the allocation, the task needs {effort} and {cost}",
    ),
    (
        "coord.higherLevel",
        "{org} is at a higher level ({level}) than {chosen} ({chosen_level}): subsidiarity prefers the lowest competent level",
    ),
    (
        "coord.lowerAdvantage",
        "{org} has a lower comparative advantage for {type} ({advantage} vs {chosen_advantage})",
    ),
    (
        "coord.asGood",
        "{org} is as good (same level and advantage); the optimiser kept {chosen}",
    ),
    (
        "coord.dependsHidden.one",
        "it depends on {n} task you may not see, so whether it is taken on cannot be known here",
    ),
    (
        "coord.dependsHidden.other",
        "it depends on {n} tasks you may not see, so whether they are taken on cannot be known here",
    ),
    (
        "coord.dependsMissing",
        "it depends on task {task}, which is not in the problem",
    ),
    (
        "coord.dependsStatus",
        "it depends on task {task} (\"{title}\"), which is {status}",
    ),
    (
        "coord.dependsNobody",
        "it depends on task {task} (\"{title}\"), which no organisation can take",
    ),
    (
        "coord.dependsUnassigned",
        "it depends on task {task} (\"{title}\"), left unassigned in this allocation",
    ),
    ("coord.dependency", "a dependency cannot be assigned"),
    ("coord.nobodyMandated", "no organisation holds a {type} mandate"),
    (
        "coord.noneEligible",
        "no eligible organisation: {n} of the {mandated} organisations with a {type} mandate: {details}",
    ),
    (
        "coord.capacityTaken",
        "the eligible organisations' capacity for the period of the deadline {deadline} goes to tasks that add more in total; the task needs {effort} person-days and a budget of {cost}: {details}",
    ),
    (
        "coord.capacityLeft",
        "{org} has {days} person-days and a budget of {budget} left",
    ),
];

/// An amount with at most one decimal, as the explanations have always written them.
pub(crate) fn amount(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

impl Phrase {
    /// A phrase of `code` with these arguments.
    pub fn new(code: &str, args: impl IntoIterator<Item = (&'static str, Value)>) -> Phrase {
        debug_assert!(
            ENGLISH.iter().any(|(c, _)| *c == code),
            "no English for {code}"
        );
        Phrase {
            code: code.to_string(),
            args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    /// The phrase in English.
    pub fn english(&self) -> String {
        let template = ENGLISH
            .iter()
            .find(|(c, _)| *c == self.code)
            .map_or(self.code.as_str(), |(_, t)| t);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let name = &after[..close];
            match self.args.get(name) {
                Some(v) => out.push_str(&arg_english(name, v)),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Phrases in English, one after the other.
pub fn english(phrases: &[Phrase]) -> String {
    phrases
        .iter()
        .map(Phrase::english)
        .collect::<Vec<_>>()
        .join(" ")
}

fn arg_english(name: &str, v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            if name.ends_with("advantage") {
                format!("{x:.2}")
            } else {
                amount(x)
            }
        }
        Value::Array(items) => items
            .iter()
            .map(|i| {
                serde_json::from_value::<Phrase>(i.clone())
                    .map_or_else(|_| i.to_string(), |p| p.english())
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// A list of phrases as an argument.
pub(crate) fn list(phrases: Vec<Phrase>) -> Value {
    Value::Array(
        phrases
            .into_iter()
            .map(|p| serde_json::to_value(p).expect("a phrase is JSON"))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn english_fills_every_argument_by_its_kind() {
        let p = Phrase::new(
            "coord.lowerAdvantage",
            [
                ("org", json!("un-dppa")),
                ("type", json!("mediation")),
                ("advantage", json!(0.5)),
                ("chosen_advantage", json!(0.875)),
            ],
        );
        assert_eq!(
            p.english(),
            "un-dppa has a lower comparative advantage for mediation (0.50 vs 0.88)"
        );
        let left = |org: &str, days: f64| {
            Phrase::new(
                "coord.capacityLeft",
                [
                    ("org", json!(org)),
                    ("days", json!(days)),
                    ("budget", json!(1000.04)),
                ],
            )
        };
        let nested = Phrase::new(
            "coord.capacityTaken",
            [
                ("deadline", json!("2026-12-31")),
                ("effort", json!(12.25)),
                ("cost", json!(8000)),
                (
                    "details",
                    list(vec![left("ecowas", 3.0), left("au-psc", 0.0)]),
                ),
            ],
        );
        assert_eq!(
            nested.english(),
            "the eligible organisations' capacity for the period of the deadline 2026-12-31 goes \
             to tasks that add more in total; the task needs 12.3 person-days and a budget of \
             8000: ecowas has 3 person-days and a budget of 1000 left; au-psc has 0 person-days \
             and a budget of 1000 left"
        );
        // Through JSON and back, the same phrase.
        let back: Phrase = serde_json::from_value(serde_json::to_value(&nested).unwrap()).unwrap();
        assert_eq!(back, nested);
    }

    #[test]
    fn codes_are_unique_and_their_placeholders_named() {
        let mut codes: Vec<&str> = ENGLISH.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code twice");
        for (code, text) in ENGLISH {
            assert!(code.starts_with("coord."), "{code}");
            assert_eq!(
                text.matches('{').count(),
                text.matches('}').count(),
                "{code}"
            );
        }
    }
}
