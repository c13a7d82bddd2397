//! Customer-side steps and spoken violations: the dialogue effects that change the world
//! (`Step`) or record a policy violation (`Violation`), compiled to typed effects.

use super::doc::Doc;
use super::format::EffectDef;
use super::model::{Effect, Scenario};
use crate::ids::DeviceId;
use crate::world::fixes::{FixCall, FixKind};
use crate::world::state::World;

/// Fixes a customer can do on their side while the trainee talks them through it.
pub fn customer_can_do(k: FixKind) -> bool {
    use FixKind::*;
    k.guided()
        || matches!(
            k,
            Reboot | ConnectVpn | LoadPaper | PrinterOnline | FlushDns | RenewDhcp | EndProcess
        )
}

/// Compiles a `Step` or `Violation` effect; errors are located at `path`.
pub fn compile_effect(
    doc: &mut Doc,
    world: &World,
    device: Option<DeviceId>,
    e: &EffectDef,
    path: &str,
) -> Option<Effect> {
    match e {
        EffectDef::Step(cmd) => {
            let call = match FixCall::parse(cmd, world, device) {
                Ok(c) => c,
                Err(m) => {
                    doc.error(path, format!("step `{cmd}`: {m}"));
                    return None;
                }
            };
            if !customer_can_do(call.kind()) {
                let can: Vec<&str> = FixKind::ALL
                    .into_iter()
                    .filter(|k| customer_can_do(*k))
                    .map(FixKind::command)
                    .collect();
                doc.error(
                    path,
                    format!(
                        "`{}` is done by the help desk, not by the customer; a `Step` is one of: {}",
                        call.kind().command(),
                        can.join(", ")
                    ),
                );
                return None;
            }
            Some(Effect::Step(call))
        }
        EffectDef::Violation {
            severity,
            reason,
            better,
        } => {
            if reason.trim().is_empty() {
                doc.error(
                    path,
                    "empty `reason`; expected why saying this breaks policy (shown in the debrief)",
                );
                return None;
            }
            Some(Effect::Violation {
                severity: *severity,
                reason: reason.clone(),
                better: better.clone(),
            })
        }
        _ => None,
    }
}

/// Every customer step the scenario's dialogue can ask for (moves for the reachability
/// search, besides the console fixes).
pub fn step_calls(s: &Scenario) -> Vec<FixCall> {
    let mut out: Vec<FixCall> = vec![];
    for o in &s.options {
        for e in &o.effects {
            if let Effect::Step(c) = e
                && !out.contains(c)
            {
                out.push(c.clone());
            }
        }
    }
    out
}

/// The fix kinds customer steps use.
pub fn step_kinds(s: &Scenario) -> Vec<FixKind> {
    let mut v: Vec<FixKind> = step_calls(s).iter().map(FixCall::kind).collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use crate::scenario::format::RawAction;
    use crate::scenario::load::load_pack;
    use crate::scenario::model::Scenario;
    use crate::session::Session;
    use crate::session::action::Action;
    use crate::session::event::{ChangeClass, EventKind};
    use std::sync::Arc;

    fn bundled(id: &str) -> Arc<Scenario> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (pack, _) = load_pack(&dir).unwrap();
        pack.unwrap().scenario(id).unwrap().clone()
    }

    fn seed_for(s: &Arc<Scenario>, variant: &str) -> u64 {
        (0..500)
            .find(|seed| Session::new(s, *seed).variant_key() == variant)
            .unwrap()
    }

    /// Plays `log` (`say:ID`, `run:COMMAND`, `fix:COMMAND`) and returns the session.
    fn play(s: &Arc<Scenario>, variant: &str, log: &[&str]) -> Session {
        let mut sess = Session::new(s, seed_for(s, variant));
        for line in log {
            let (verb, arg) = line.split_once(':').unwrap();
            let raw = match verb {
                "say" => RawAction::Say(arg.into()),
                "run" => RawAction::Run(arg.into()),
                "fix" => RawAction::Fix(arg.into()),
                _ => unreachable!(),
            };
            let a = Action::resolve(&raw, s).unwrap();
            sess.apply(a).unwrap_or_else(|e| panic!("{line}: {e:?}"));
        }
        sess
    }

    /// The customer's changes: (command, changed, class).
    fn customer_changes(sess: &Session) -> Vec<(String, bool, ChangeClass)> {
        sess.events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::FixApplied {
                    command,
                    changed,
                    class,
                    by_customer: true,
                    ..
                } => Some((command.clone(), *changed, *class)),
                _ => None,
            })
            .collect()
    }

    fn last_output(sess: &Session) -> String {
        sess.events()
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::ToolRan { output, .. } => Some(output.clone()),
                _ => None,
            })
            .unwrap()
    }

    const TO_WORKING: [&str; 3] = ["say:greet_ack", "say:ask_open", "say:hold2"];

    #[test]
    fn switching_on_the_strip_when_asked_powers_the_pc_and_is_a_needed_change() {
        let s = bundled("monitor-no-signal");
        let mut log = TO_WORKING.to_vec();
        log.extend(["run:hwdiag PC-WHS-031", "say:check_strip"]);
        let mut sess = play(&s, "strip", &log);
        assert!(last_output(&sess).contains("NO POWER"));
        assert_eq!(
            customer_changes(&sess),
            [("power_on PC-WHS-031".to_string(), true, ChangeClass::Needed)]
        );
        // The tools now show the new state.
        let a = Action::resolve(&RawAction::Run("hwdiag PC-WHS-031".into()), &s).unwrap();
        sess.apply(a).unwrap();
        assert!(last_output(&sess).contains("Power: OK"));
    }

    #[test]
    fn the_same_step_changes_nothing_when_the_power_supply_has_failed() {
        let s = bundled("monitor-no-signal");
        let mut log = TO_WORKING.to_vec();
        log.push("say:check_strip");
        let sess = play(&s, "psu", &log);
        assert_eq!(
            customer_changes(&sess),
            [(
                "power_on PC-WHS-031".to_string(),
                false,
                ChangeClass::NoEffect
            )]
        );
        assert!(sess.world().devices[0].boot.no_power());
    }

    #[test]
    fn a_reseated_cable_shows_in_the_world_and_the_console_fix_then_has_nothing_to_do() {
        let s = bundled("monitor-no-signal");
        let mut log = TO_WORKING.to_vec();
        log.extend([
            "say:reseat_cable",
            "say:thanks_reseat",
            "fix:fix_display PC-WHS-031",
        ]);
        let sess = play(&s, "cable", &log);
        assert_eq!(
            customer_changes(&sess),
            [(
                "fix_display PC-WHS-031".to_string(),
                true,
                ChangeClass::Needed
            )]
        );
        let console = sess.events().iter().rev().find_map(|e| match &e.kind {
            EventKind::FixApplied { changed, .. } => Some(*changed),
            _ => None,
        });
        assert_eq!(console, Some(false));
    }

    #[test]
    fn a_restart_the_fault_did_not_need_is_an_unneeded_change_even_by_the_customer() {
        let s = bundled("site-outage");
        let v = s.variants[0].key.clone();
        let mut sess = Session::new(&s, seed_for(&s, &v));
        // Walk to the option through whatever the dialogue offers first.
        let target = s
            .options
            .iter()
            .position(|o| o.key == "ask_restart")
            .unwrap();
        for _ in 0..6 {
            let opts = sess.available_options();
            if let Some(o) = opts.iter().find(|o| o.index() == target) {
                sess.apply(Action::Say(*o)).unwrap();
                break;
            }
            let next = opts
                .iter()
                .find(|o| s.option(**o).goto.is_some())
                .copied()
                .unwrap();
            sess.apply(Action::Say(next)).unwrap();
        }
        let ch = customer_changes(&sess);
        assert_eq!(ch.len(), 1, "{ch:?}");
        assert_eq!(ch[0].0, "reboot LT-0611");
        assert!(matches!(
            ch[0].2,
            ChangeClass::Unneeded | ChangeClass::NoEffect
        ));
    }

    #[test]
    fn a_spoken_violation_is_recorded_with_its_severity_and_advice() {
        use crate::scenario::format::Severity;
        use crate::scenario::model::Effect;
        let mut s = (*bundled("monitor-no-signal")).clone();
        let i = s
            .options
            .iter()
            .position(|o| o.key == "greet_blame")
            .unwrap();
        s.options[i].effects.push(Effect::Violation {
            severity: Severity::Minor,
            reason: "blaming the user breaks the service charter".into(),
            better: Some("ask what happened".into()),
        });
        let s = Arc::new(s);
        let sess = play(&s, "cable", &["say:greet_blame"]);
        let v: Vec<_> = sess
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::PolicyViolation {
                    detail,
                    severity,
                    better,
                    ..
                } => Some((detail.clone(), *severity, better.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(v.len(), 1);
        assert!(v[0].0.contains("service charter"), "{}", v[0].0);
        assert_eq!(v[0].1, Severity::Minor);
        assert_eq!(v[0].2.as_deref(), Some("ask what happened"));
    }
}
