//! Further hand-offs: with several escalations per attempt, everyone who must be told was
//! told — each `escalation.also` entry handed to one of its teams with a hand-off that
//! carries its facts — and nobody else was handed the ticket for nothing.

use super::context::{Ctx, required_notes};
use super::documentation::FALSE_CLAIM_COST;
use super::registry::{Def, Mark};
use super::{Dimension, fb};
use crate::ids::TeamId;
use crate::session::event::{Event, EventKind};

/// Cost of each escalation no list asked for.
pub const NEEDLESS_COST: u32 = 10;

pub static FURTHER: Def = Def {
    id: "further_handoffs",
    dimension: Dimension::Escalation,
    title: "Everyone who must know was told",
    max: 30,
    eval: further,
    how: "When the variant requires further hand-offs (`escalation.also`): 30 shared among them, half of each share for escalating to one of its teams, the other half × the share of its hand-off facts stated and true (−10 per false claim). Every escalation besides the main one that no list names costs 10 (out of 10 when none is required).",
};

/// Escalations besides the main one: team and hand-off, with their events.
fn extra<'a>(c: &Ctx<'a>) -> Vec<(Option<TeamId>, &'a str, &'a Event)> {
    let main = c.a.ticket.escalation.as_ref().map(|(t, _)| t.as_str());
    let mut main_seen = false;
    let mut out = vec![];
    for e in c.events {
        if let EventKind::Escalated { team, handoff } = &e.kind {
            if !main_seen && Some(team.as_str()) == main {
                main_seen = true;
                continue;
            }
            out.push((c.s.pack.team_id(team), handoff.as_str(), e));
        }
    }
    out
}

fn further(c: &Ctx) -> Option<Mark> {
    let esc = &c.v.escalation;
    let extra = extra(c);
    let named = |t: &Option<TeamId>| {
        t.is_some_and(|t| esc.teams.contains(&t) || esc.also.iter().any(|x| x.teams.contains(&t)))
    };
    let needless: Vec<&(Option<TeamId>, &str, &Event)> =
        extra.iter().filter(|(t, ..)| !named(t)).collect();
    let ev = extra
        .iter()
        .map(|(_, _, e)| c.evidence(e))
        .collect::<Vec<_>>();
    let names = |ts: &[TeamId]| {
        ts.iter()
            .map(|t| c.team_name(*t))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut what = vec![];
    if !needless.is_empty() {
        let who: Vec<String> = needless
            .iter()
            .filter_map(|(t, ..)| t.map(|t| c.team_name(t)))
            .collect();
        what.push(format!(
            "You also escalated to {}, which this ticket did not need.",
            who.join(", ")
        ));
    }
    if esc.also.is_empty() {
        if needless.is_empty() {
            return None;
        }
        let points = 10u32.saturating_sub(NEEDLESS_COST * needless.len() as u32);
        return Some(Mark::new(points, 10, ev, || {
            fb(
                what.join(" "),
                "Every extra queue a ticket sits in costs a specialist's time and blurs who owns it.",
                "Hand the ticket only to the team(s) that must act on it.",
            )
        }));
    }
    let n = esc.also.len() as u32;
    let mut points = 0u32;
    for (i, x) in esc.also.iter().enumerate() {
        let share = 30 / n + if i == 0 { 30 % n } else { 0 };
        let Some((_, text, _)) = extra
            .iter()
            .find(|(t, ..)| t.is_some_and(|t| x.teams.contains(&t)))
        else {
            what.push(format!("{} was never told: {}", names(&x.teams), x.why));
            continue;
        };
        let facts: Vec<usize> = if x.handoff.is_empty() {
            required_notes(c.s, c.vid)
        } else {
            x.handoff
                .iter()
                .map(|f| f.index())
                .filter(|i| c.s.rubric.facts[*i].applies(c.vid))
                .collect()
        };
        let g = c.grade_text(text, &facts);
        let half = share / 2;
        let earned = half + (f64::from(share - half) * g.coverage()).round() as u32;
        points += earned.saturating_sub(FALSE_CLAIM_COST * g.false_claims.len() as u32);
        let missing = g.missing(c.s);
        if !missing.is_empty() {
            what.push(format!(
                "The hand-off to {} did not say: {}.",
                names(&x.teams),
                missing.join("; ")
            ));
        }
        for (label, s) in &g.false_claims {
            what.push(format!("\"{s}\" claims {label}, which is not true."));
        }
    }
    points = points.saturating_sub(NEEDLESS_COST * needless.len() as u32);
    Some(Mark::new(points.min(30), 30, ev, || {
        fb(
            what.join(" "),
            "Some tickets need more than one team: the one that fixes it and the ones that must know (Security, a data owner). Each needs its own hand-off with what it must act on.",
            c.advice(
                "further_handoffs",
                esc.also
                    .iter()
                    .map(|x| format!("Also escalate to {}: {}", names(&x.teams), x.why))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        )
    }))
}

#[cfg(test)]
mod tests {
    use crate::ids::FactId;
    use crate::scenario::format::RawAction;
    use crate::scenario::handoffs::Also;
    use crate::scenario::load::load_pack;
    use crate::scenario::model::Scenario;
    use crate::scoring::{Scorecard, score};
    use crate::session::Session;
    use crate::session::action::{Action, ActionError};
    use std::sync::Arc;

    const HANDOFF: &str = "Remote user Priya Raman (LT-0342) cannot connect to the VPN, so she cannot reach the CRM or other internal systems; her home internet is working. The status page shows an outage of the remote access VPN, and her client fails with error 809 because the gateway vpn.corp is not responding. I checked the laptop: the machine certificate is valid and nothing else is wrong with it, so I made no changes. Other remote users are affected too: her colleague Tom reports the same. Please restore the VPN gateway and post updates on the status page; the user has been told to expect updates every 30 minutes.";

    /// vpn-remote's outage variant, where the Major Incident Manager must also be told of
    /// the outage (a second, required hand-off).
    fn scenario(with_also: bool) -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = load_pack(&dir).unwrap();
        let mut s = (*pack.unwrap().scenario("vpn-remote").unwrap().clone()).clone();
        let mim = s.pack.team_id("major-incident").unwrap();
        let outage = s
            .rubric
            .facts
            .iter()
            .position(|f| f.key == "outage")
            .unwrap();
        let scope = s
            .rubric
            .facts
            .iter()
            .position(|f| f.key == "scope")
            .unwrap();
        let v = s.variant_id("outage").unwrap();
        if with_also {
            s.variants[v.index()].escalation.also.push(Also {
                teams: vec![mim],
                handoff: vec![FactId::from_index(outage), FactId::from_index(scope)],
                why: "an outage for every remote worker is a major incident".into(),
            });
        }
        Arc::new(s)
    }

    fn expert(extra: &[RawAction]) -> Vec<RawAction> {
        let mut v: Vec<RawAction> = ["greet_ack", "ask_error", "hold2"]
            .iter()
            .map(|o| RawAction::Say((*o).into()))
            .collect();
        v.extend([
            RawAction::Ask("q_others".into()),
            RawAction::Run("status".into()),
            RawAction::Run("vpn LT-0342".into()),
            RawAction::Say("explain_outage".into()),
            RawAction::Say("set_expect".into()),
            RawAction::Say("confirm_plan".into()),
            RawAction::Escalate {
                team: "network".into(),
                handoff: HANDOFF.into(),
            },
        ]);
        v.extend(extra.iter().cloned());
        v
    }

    fn play(s: &Arc<Scenario>, log: &[RawAction]) -> (Session, Vec<ActionError>) {
        let mut sess = Session::new(s, 2);
        assert_eq!(sess.variant_key(), "outage");
        let mut errs = vec![];
        for r in log {
            if let Err(e) = sess.apply(Action::resolve(r, s).unwrap()) {
                errs.push(e);
            }
        }
        (sess, errs)
    }

    fn further(card: &Scorecard) -> Option<(u32, u32)> {
        card.criteria
            .iter()
            .find(|c| c.id == "further_handoffs")
            .map(|c| (c.points, c.max))
    }

    fn card(s: &Arc<Scenario>, log: &[RawAction]) -> Scorecard {
        let (sess, errs) = play(s, log);
        assert!(errs.is_empty(), "{errs:?}");
        score(s, &sess.attempt())
    }

    fn mim(handoff: &str) -> RawAction {
        RawAction::Escalate {
            team: "major-incident".into(),
            handoff: handoff.into(),
        }
    }

    #[test]
    fn each_required_hand_off_is_scored_for_its_team_and_its_facts() {
        let s = scenario(true);
        let told = card(
            &s,
            &expert(&[mim(
                "The remote access VPN gateway is down (error 809), an outage. Other remote users are affected too: her colleague Tom reports the same.",
            )]),
        );
        let never = card(&s, &expert(&[]));
        let thin = card(&s, &expert(&[mim("FYI, see the network ticket.")]));
        let fb = told
            .criteria
            .iter()
            .find(|c| c.id == "further_handoffs")
            .unwrap();
        assert_eq!(further(&told), Some((30, 30)), "{:?}", fb.feedback);
        assert_eq!(further(&never), Some((0, 30)));
        assert_eq!(further(&thin), Some((15, 30)));
        assert!(never.dimensions.escalation < told.dimensions.escalation);
        // The main decision is the Network escalation in all three.
        for c in [&told, &never, &thin] {
            let right = c.criteria.iter().find(|x| x.id == "right_team").unwrap();
            assert_eq!(right.points, right.max);
        }
    }

    #[test]
    fn a_second_escalation_to_a_team_no_list_names_costs_and_one_team_is_told_once() {
        let s = scenario(false);
        let plain = card(&s, &expert(&[]));
        assert_eq!(
            further(&plain),
            None,
            "unchanged when nothing more is required"
        );
        let desk = RawAction::Escalate {
            team: "desktop".into(),
            handoff: HANDOFF.into(),
        };
        let needless = card(&s, &expert(std::slice::from_ref(&desk)));
        assert_eq!(further(&needless), Some((0, 10)));
        assert!(needless.dimensions.escalation < plain.dimensions.escalation);
        let again = RawAction::Escalate {
            team: "network".into(),
            handoff: HANDOFF.into(),
        };
        let (_, errs) = play(&s, &expert(&[again]));
        assert!(
            matches!(&errs[..], [ActionError::Invalid(m)] if m.contains("already with")),
            "{errs:?}"
        );
    }
}
