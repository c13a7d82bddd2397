//! Subcommands and their exit-code contract: 0 ok, 1 invalid input or failed checks,
//! 2 usage or I/O errors.

use crate::playtest;
use crate::scenario::diagnostic::{Diagnostic, has_errors};
use crate::scenario::load::{self, LoadError, Pack};
use crate::scenario::model::Scenario;
use crate::scoring::Scorecard;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Output formats of `firstline report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// Firstline: help desk training. With no subcommand, starts the game.
#[derive(Debug, Parser)]
#[command(name = "firstline", version, about)]
pub struct Cli {
    /// Pack folder to play (default: the bundled `scenarios/`).
    #[arg(long, global = true)]
    pub pack: Option<PathBuf>,
    /// Open the game straight on this scenario (by id).
    #[arg(long)]
    pub scenario: Option<String>,
    /// Seed for `--scenario` (default: random).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Where profiles and attempts are kept (default: the platform data directory).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Instructor mode: opens the Instructor view (every scenario's variants and answers),
    /// which trainees do not see. Also FIRSTLINE_INSTRUCTOR=1.
    #[arg(long, global = true, env = "FIRSTLINE_INSTRUCTOR")]
    pub instructor: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check packs or scenario files; prints PATH:LINE:COL: error: MESSAGE per problem.
    Validate {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Run an action log headlessly and print the scorecard.
    Playtest {
        /// A scenario file, or a scenario id in the pack.
        scenario: String,
        /// RON file: a list of actions (or a play-test file).
        #[arg(long)]
        actions: PathBuf,
        /// Seed (default: the play-test file's own seed, else 1).
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Also print the whole transcript: what was said, tool output, fixes, events.
        #[arg(long)]
        transcript: bool,
    },
    /// Run every play-test in the pack's playtests/ folder.
    Test {
        /// Pack folder (default: the bundled pack).
        pack_dir: Option<PathBuf>,
    },
    /// Render one screen of the game in a real window, save it as PNG and exit.
    #[cfg(feature = "game")]
    Screenshot {
        #[arg(long, value_enum)]
        screen: crate::game::Screen,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        scenario: Option<String>,
        #[arg(long)]
        seed: Option<u64>,
        /// Window size, e.g. 1280x720.
        #[arg(long, default_value = "1280x720")]
        size: String,
        /// UI scale (0.75–2.0).
        #[arg(long, default_value_t = 1.0)]
        scale: f32,
        /// Light theme instead of dark.
        #[arg(long)]
        light: bool,
        /// Play screen: how many of the expert play-test's actions to take first
        /// (default: half of them).
        #[arg(long)]
        actions: Option<usize>,
    },
    /// Report scenario smells beyond validation, each a located warning with a suggestion.
    Lint {
        /// A pack folder or a scenario file (default: the bundled pack).
        path: Option<PathBuf>,
        /// Exit with 1 when there are warnings (for a pack's CI).
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Play a scenario in the terminal: numbered options, console commands, scorecard.
    Play {
        /// A scenario file, or a scenario id in the pack.
        scenario: String,
        /// Seed (picks the variant and the customer's name; default 1).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Save the finished attempt to this trainee's progress (created if new).
        #[arg(long)]
        trainee: Option<String>,
    },
    /// Report on trainees' progress: per trainee and scenario, attempts, best and mean
    /// score per dimension, pass rate.
    Report {
        /// Only this trainee.
        #[arg(long)]
        trainee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: ReportFormat,
    },
    /// Send attempts not yet sent, as xAPI statements, to a Learning Record Store.
    Sync {
        /// The LRS's xAPI endpoint, e.g. https://lrs.example.com/xAPI/
        #[arg(long, env = "FIRSTLINE_LRS_URL")]
        lrs: Option<String>,
        /// User name for the LRS (HTTP Basic auth).
        #[arg(long, env = "FIRSTLINE_LRS_USER")]
        user: Option<String>,
        /// Refused: a password on the command line is visible to other users. Use
        /// FIRSTLINE_LRS_PASSWORD, --password-stdin, lrs.ron (mode 600) or the prompt.
        #[arg(long, hide = true)]
        password: Option<String>,
        /// Read the LRS password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// RON file with (url: ..., user: ..., password: ...) (default: lrs.ron in the
        /// platform config directory, when present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Print the queued statements as JSON instead of sending them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Course packages for an LMS: cmi5 (cmi5.xml, the web build hosted at --base-url)
    /// or SCORM 1.2 (the web build inside the zip).
    Package {
        #[command(subcommand)]
        what: PackageWhat,
    },
    /// Manage trainees' data.
    Trainee {
        #[command(subcommand)]
        what: TraineeWhat,
    },
    /// Create a new scenario from a template, with a KB stub and a play-test stub.
    New {
        #[command(subcommand)]
        what: NewWhat,
    },
    /// Search a scenario's action space: resolvable per variant, best and worst scores,
    /// random play, dead ends.
    Explore {
        /// A scenario file, or a scenario id in the pack.
        scenario: String,
        /// Seed of the search and of random play (default 1).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Longest action sequence tried.
        #[arg(long, default_value_t = crate::authoring::explore::DEFAULT_MAX_DEPTH)]
        max_depth: usize,
        /// Distinct states to explore over all variants.
        #[arg(long, default_value_t = crate::authoring::explore::DEFAULT_BUDGET)]
        budget: usize,
        /// Random play-throughs for the score distribution.
        #[arg(long, default_value_t = crate::authoring::explore::DEFAULT_PLAYOUTS)]
        playouts: usize,
        /// Distinct states per gameability search (one per variant and step it can
        /// skip: diagnosis, identity verification, a required escalation); 0: none.
        #[arg(long, default_value_t = crate::authoring::explore::DEFAULT_GAMEABLE_BUDGET)]
        gameable_budget: usize,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Play a shift (a queue of tickets under one clock): `--actions FILE` plays an
    /// action log headlessly and prints the shift report; `--schedule` lists the tickets;
    /// without either, play it in the terminal.
    Shift {
        /// A shift id in the pack (`shifts/*.ron`).
        shift: String,
        #[arg(long)]
        actions: Option<PathBuf>,
        /// Seed of the schedule and every ticket (default 1).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        schedule: bool,
        /// Print the action log of a scripted player (`expert` or `arrival`) as a shift
        /// play-test, for authors.
        #[arg(long)]
        autoplay: Option<String>,
        /// Save the finished shift (with its tickets) to this trainee's progress.
        #[arg(long)]
        trainee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// List the pack's scenarios.
    List {
        pack_dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum PackageWhat {
    /// A cmi5 course structure (cmi5.xml in a zip): one AU per scenario, each
    /// launching BASE_URL/index.html?scenario=ID.
    Cmi5 {
        /// Where the web build (scripts/web.sh → dist/web) is hosted.
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        out: PathBuf,
        /// What satisfies an AU for the LMS.
        #[arg(long, value_enum, default_value = "passed")]
        move_on: super::package::MoveOnArg,
        /// The pack (default: --pack, else the bundled one).
        pack_dir: Option<PathBuf>,
    },
    /// A SCORM 1.2 package: the web build, the pack and imsmanifest.xml in one zip.
    Scorm {
        #[arg(long)]
        out: PathBuf,
        /// The web build folder (made by scripts/web.sh).
        #[arg(long, default_value = "dist/web")]
        web: PathBuf,
        /// The pack (default: --pack, else the bundled one).
        pack_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TraineeWhat {
    /// Delete a trainee's profile and every attempt; statements not yet sent to the LRS
    /// are dropped and nothing more is queued for them.
    Delete {
        name: String,
        /// Do not ask for confirmation (needed when standard input is not a terminal).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// A scenario: writes ID.ron, kb/ID.md and playtests/ID-expert.ron in the pack.
    Scenario {
        /// The new scenario's id (lower-case letters, digits, `-`, `_`).
        id: String,
        /// Starting point.
        #[arg(long, value_enum, default_value_t = crate::authoring::scaffold::Template::Password)]
        template: crate::authoring::scaffold::Template,
    },
}

/// A scratch data directory so screenshots never touch a trainee's profiles.
#[cfg(feature = "game")]
fn tempfile_dir() -> PathBuf {
    std::env::temp_dir().join(format!("firstline-shot-{}", std::process::id()))
}

/// The bundled pack: `scenarios/` in the working directory, else beside the sources.
pub fn default_pack() -> PathBuf {
    let here = PathBuf::from("scenarios");
    if here.join("pack.ron").is_file() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn print_diags(diags: &[Diagnostic]) {
    for d in diags {
        errln!("{d}");
    }
}

fn load_error(e: &LoadError) -> i32 {
    errln!("error: {e}");
    2
}

/// [`pack_or_exit`] for the other CLI modules.
pub(super) fn pack_or_exit_pub(dir: &Path) -> Result<Pack, i32> {
    pack_or_exit(dir)
}

/// Loads a pack for commands that need one; prints problems. Err is the exit code.
fn pack_or_exit(dir: &Path) -> Result<Pack, i32> {
    match load::load_pack(dir) {
        Err(e) => Err(load_error(&e)),
        Ok((pack, diags)) => {
            print_diags(&diags);
            match pack {
                Some(p) if !has_errors(&diags) => Ok(p),
                _ => {
                    errln!(
                        "{}: the pack has errors; run `firstline validate {}`",
                        dir.display(),
                        dir.display()
                    );
                    Err(1)
                }
            }
        }
    }
}

/// Runs the CLI; returns the process exit code (2 when output could not be written).
pub fn main_with(cli: Cli) -> i32 {
    let code = run(cli);
    if code == 0 && super::output_failed() {
        2
    } else {
        code
    }
}

fn run(cli: Cli) -> i32 {
    match cli.command {
        #[cfg(not(feature = "game"))]
        None => {
            errln!(
                "error: this build has no game window (built without the `game` feature); use a subcommand, see --help"
            );
            2
        }
        #[cfg(feature = "game")]
        None => crate::game::run(crate::game::GameOptions {
            pack_dir: cli.pack.unwrap_or_else(default_pack),
            start: cli.scenario.map(|s| (s, cli.seed)),
            screenshot: None,
            data_dir: cli.data_dir,
            settings: Default::default(),
            instructor: cli.instructor,
        }),
        #[cfg(feature = "game")]
        Some(Command::Screenshot {
            screen,
            out,
            scenario,
            seed,
            size,
            scale,
            light,
            actions,
        }) => {
            let Some((w, h)) = size
                .split_once('x')
                .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
            else {
                errln!("error: --size must look like 1280x720");
                return 2;
            };

            let tmp = tempfile_dir();
            let scratch = cli.data_dir.is_none();
            let code = crate::game::run(crate::game::GameOptions {
                pack_dir: cli.pack.unwrap_or_else(default_pack),
                start: None,
                screenshot: Some(crate::game::screenshot::ScreenshotRequest {
                    screen,
                    out,
                    scenario,
                    seed,
                    width: w,
                    height: h,
                    actions,
                }),
                settings: crate::game::Settings {
                    ui_scale: scale.clamp(0.75, 2.0),
                    dark: !light,
                },
                instructor: cli.instructor,
                data_dir: cli.data_dir.or(Some(tmp.clone())),
            });
            if scratch {
                let _ = std::fs::remove_dir_all(&tmp);
            }
            code
        }
        Some(Command::Validate { paths, format }) => validate(&paths, format),
        Some(Command::Playtest {
            scenario,
            actions,
            seed,
            format,
            transcript,
        }) => playtest_cmd(
            &scenario,
            &actions,
            cli.pack.as_deref(),
            seed,
            format,
            transcript,
        ),
        Some(Command::Test { pack_dir }) => {
            test(&pack_dir.or(cli.pack).unwrap_or_else(default_pack))
        }
        Some(Command::Play {
            scenario,
            seed,
            trainee,
        }) => play_cmd(
            &scenario,
            cli.pack.as_deref(),
            seed,
            trainee.as_deref(),
            cli.data_dir.as_deref(),
        ),
        Some(Command::Report { trainee, format }) => {
            super::progress::report_cmd(cli.data_dir.as_deref(), trainee.as_deref(), format)
        }
        Some(Command::Sync {
            lrs,
            user,
            password,
            password_stdin,
            config,
            dry_run,
        }) => super::progress::sync_cmd(
            cli.data_dir.as_deref(),
            super::progress::SyncArgs {
                url: lrs,
                user,
                password_flag: password.is_some(),
                password_stdin,
                config: config.as_deref(),
                dry_run,
            },
        ),
        Some(Command::Package {
            what:
                PackageWhat::Cmi5 {
                    base_url,
                    out,
                    move_on,
                    pack_dir,
                },
        }) => super::package::cmi5_cmd(
            &pack_dir.or(cli.pack).unwrap_or_else(default_pack),
            &base_url,
            &out,
            move_on,
        ),
        Some(Command::Package {
            what: PackageWhat::Scorm { out, web, pack_dir },
        }) => super::package::scorm_cmd(
            &pack_dir.or(cli.pack).unwrap_or_else(default_pack),
            &web,
            &out,
        ),
        Some(Command::Trainee {
            what: TraineeWhat::Delete { name, yes },
        }) => super::progress::delete_trainee_cmd(cli.data_dir.as_deref(), &name, yes),
        Some(Command::New {
            what: NewWhat::Scenario { id, template },
        }) => new_scenario_cmd(&cli.pack.unwrap_or_else(default_pack), &id, template),
        Some(Command::Lint {
            path,
            deny_warnings,
            format,
        }) => lint_cmd(
            &path.or(cli.pack).unwrap_or_else(default_pack),
            deny_warnings,
            format,
        ),
        Some(Command::Explore {
            scenario,
            seed,
            max_depth,
            budget,
            playouts,
            gameable_budget,
            format,
        }) => explore_cmd(
            &scenario,
            cli.pack.as_deref(),
            crate::authoring::explore::ExploreOptions {
                seed,
                max_depth,
                budget,
                playouts,
                gameable_budget,
            },
            format,
        ),
        Some(Command::Shift {
            shift,
            actions,
            seed,
            schedule,
            autoplay,
            trainee,
            format,
        }) => match pack_or_exit(&cli.pack.unwrap_or_else(default_pack)) {
            Ok(p) if autoplay.is_some() => {
                super::shift::autoplay_cmd(&p, &shift, seed, autoplay.as_deref().unwrap_or(""))
            }
            Ok(p) => super::shift::shift_cmd(
                &p,
                &super::shift::ShiftArgs {
                    id: &shift,
                    actions: actions.as_deref(),
                    seed,
                    schedule,
                    format,
                    trainee: trainee.as_deref(),
                    data_dir: cli.data_dir.as_deref(),
                },
            ),
            Err(c) => c,
        },
        Some(Command::List { pack_dir, format }) => {
            match pack_or_exit(&pack_dir.or(cli.pack).unwrap_or_else(default_pack)) {
                Ok(p) => {
                    print_list(&p, format);
                    0
                }
                Err(c) => c,
            }
        }
    }
}

/// The pack folder of a file in `shifts/` or `shifts/playtests/`.
fn shift_pack_root(p: &Path) -> Option<PathBuf> {
    let parent = p.parent()?;
    let name = |d: &Path| d.file_name().map(|n| n.to_string_lossy().to_string());
    if name(parent).as_deref() == Some("shifts") {
        return parent.parent().map(Path::to_path_buf);
    }
    if name(parent).as_deref() == Some("playtests")
        && name(parent.parent()?).as_deref() == Some("shifts")
    {
        return parent.parent()?.parent().map(Path::to_path_buf);
    }
    None
}

fn validate(paths: &[PathBuf], format: Format) -> i32 {
    let mut all = vec![];
    let mut io_error = false;
    for p in paths {
        let r = if p.is_dir() {
            load::load_pack(p).map(|(_, d)| d)
        } else if let Some(root) = shift_pack_root(p) {
            // A shift file (or shift play-test) is checked with its pack's scenarios.
            load::load_pack(&root).map(|(_, d)| {
                let me = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                d.into_iter()
                    .filter(|x| {
                        std::fs::canonicalize(&x.path).unwrap_or_else(|_| x.path.clone()) == me
                    })
                    .collect()
            })
        } else {
            load::load_scenario_file(p).map(|(_, d)| d)
        };
        match r {
            Ok(mut d) => all.append(&mut d),
            Err(e) => {
                errln!("error: {e}");
                io_error = true;
            }
        }
    }
    match format {
        Format::Text => {
            print_diags(&all);
            let e = all.iter().filter(|d| d.is_error()).count();
            let w = all.len() - e;
            if e == 0 && !io_error {
                errln!("ok: {} checked, {w} warning(s)", paths.len());
            } else {
                errln!("{e} error(s), {w} warning(s)");
            }
        }
        Format::Json => {
            let v: Vec<serde_json::Value> = all
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "path": d.path.display().to_string(),
                        "line": d.line,
                        "column": d.column,
                        "severity": d.severity,
                        "field": d.field,
                        "message": d.message,
                    })
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into())
            );
        }
    }
    if io_error {
        2
    } else if has_errors(&all) {
        1
    } else {
        0
    }
}

fn find_scenario(arg: &str, pack: Option<&Path>) -> Result<Arc<Scenario>, i32> {
    let as_path = Path::new(arg);
    if as_path.is_file() {
        return match load::load_scenario_file(as_path) {
            Err(e) => Err(load_error(&e)),
            Ok((s, diags)) => {
                print_diags(&diags);
                s.ok_or(1)
            }
        };
    }
    let dir = pack.map(Path::to_path_buf).unwrap_or_else(default_pack);
    let p = pack_or_exit(&dir)?;
    match p.scenario(arg) {
        Some(s) => Ok(s.clone()),
        None => {
            let ids: Vec<&str> = p.scenarios.iter().map(|s| s.id.as_str()).collect();
            errln!(
                "error: no scenario `{arg}` in {} (and no such file){}; scenarios: {}",
                dir.display(),
                crate::scenario::doc::did_you_mean(arg, ids.iter().copied()),
                ids.join(", ")
            );
            Err(2)
        }
    }
}

fn playtest_cmd(
    scenario: &str,
    actions: &Path,
    pack: Option<&Path>,
    seed: Option<u64>,
    format: Format,
    transcript: bool,
) -> i32 {
    let s = match find_scenario(scenario, pack) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let bytes = match crate::scenario::files::read_regular(actions, "action log") {
        Ok(b) => b,
        Err(e) => {
            errln!("error: {}: {e}", actions.display());
            return 2;
        }
    };
    let (acts, diags) = load::load_action_log(actions, &bytes, &s);
    print_diags(&diags);
    let Some(acts) = acts else {
        return 1;
    };
    let seed = seed.or_else(|| file_seed(&bytes)).unwrap_or(1);
    let run = playtest::run(&s, seed, &acts);
    for (i, e) in &run.rejected {
        errln!(
            "{}: warning: action {} was rejected: {e}",
            actions.display(),
            i + 1
        );
    }
    match format {
        Format::Json => outln!("{}", scorecard_json(&run.scorecard)),
        Format::Text => {
            if transcript {
                out!("{}", transcript_text(&run.session));
            }
            out!("{}", scorecard_text(&run.scorecard))
        }
    }
    0
}

/// Everything that happened, in order, with simulated times and tool output.
pub fn transcript_text(session: &crate::session::Session) -> String {
    use crate::session::event::{EventKind, clock};
    use std::fmt::Write;
    let mut s = String::from("Transcript:\n");
    for e in session.events() {
        let _ = writeln!(s, "  [{}] {}", clock(e.at), crate::scoring::describe(e));
        if let EventKind::ToolRan { output, .. } = &e.kind {
            for line in output.lines() {
                let _ = writeln!(s, "        | {line}");
            }
        }
    }
    s
}

/// The `seed:` of a play-test file, if the action log is one.
fn file_seed(bytes: &[u8]) -> Option<u64> {
    let src = std::str::from_utf8(bytes).ok()?;
    let tree = crate::scenario::ron_tree::parse(src).ok()?;
    let n = tree.field("seed")?;
    src[n.span.start..n.span.end]
        .trim()
        .replace('_', "")
        .parse()
        .ok()
}

/// The scorecard as pretty JSON (stable key order).
pub fn scorecard_json(c: &Scorecard) -> String {
    serde_json::to_string_pretty(c).unwrap_or_default()
}

fn bar(v: u32) -> String {
    let n = (v as usize).div_ceil(5);
    format!("{}{}", "█".repeat(n), "░".repeat(20 - n.min(20)))
}

/// The scorecard as readable text.
pub fn scorecard_text(c: &Scorecard) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Scenario {} (variant `{}`, seed {}), took {}",
        c.scenario, c.variant, c.seed, c.elapsed
    );
    let _ = writeln!(
        s,
        "Resolved: {}   Overall: {}/100   {} (pass mark {})",
        if c.resolved { "yes" } else { "no" },
        c.overall,
        if c.passed { "PASSED" } else { "NOT PASSED" },
        c.pass_mark
    );
    for (name, v) in c.dimensions.named() {
        let _ = writeln!(s, "  {name:<14} {v:>3}  {}", bar(v));
    }
    if !c.critical.is_empty() {
        let _ = writeln!(s, "Critical fails:");
        for x in &c.critical {
            let _ = writeln!(s, "  ! {}", x.what);
        }
    }
    let _ = writeln!(s, "Criteria:");
    for x in &c.criteria {
        let _ = writeln!(
            s,
            "  {:<13} {:<40} {:>3}/{:<3}",
            format!("{:?}", x.dimension).to_lowercase(),
            x.title,
            x.points,
            x.max
        );
    }
    if !c.feedback.is_empty() {
        let _ = writeln!(s, "Feedback:");
        for f in &c.feedback {
            let _ = writeln!(s, "  - {f}");
        }
    }
    s
}

fn test(dir: &Path) -> i32 {
    let p = match pack_or_exit(dir) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (mut pass, mut fail) = (0, 0);
    for t in &p.playtests {
        let (run, failures) = playtest::run_playtest(t);
        let c = &run.scorecard;
        if failures.is_empty() {
            pass += 1;
            outln!(
                "ok    {} — {} [{}] overall {} (T{} E{} D{} X{})",
                t.path
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default(),
                t.name,
                c.variant,
                c.overall,
                c.dimensions.technical,
                c.dimensions.empathy,
                c.dimensions.documentation,
                c.dimensions.escalation
            );
        } else {
            fail += 1;
            outln!(
                "FAIL  {} — {} [{}] overall {}",
                t.path
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or_default(),
                t.name,
                c.variant,
                c.overall
            );
            for f in failures {
                outln!("        {f}");
            }
        }
    }
    let (sp, sf) = super::shift::test_shifts(&p);
    let (pass, fail) = (pass + sp, fail + sf);
    outln!("{pass} passed, {fail} failed");
    if fail == 0 { 0 } else { 1 }
}

fn print_list(p: &Pack, format: Format) {
    match format {
        Format::Json => {
            let v: Vec<serde_json::Value> = p
                .scenarios
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id,
                        "title": s.title,
                        "difficulty": s.difficulty,
                        "channel": s.channel,
                        "skills": s.skills,
                        "variants": s.variants.iter().map(|v| serde_json::json!({"id": v.key, "description": v.description})).collect::<Vec<_>>(),
                        "minutes": s.minutes,
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Text => {
            outln!("{} — {} (v{})", p.meta.title, p.meta.id, p.meta.version);
            for s in &p.scenarios {
                let skills: Vec<String> = s.skills.iter().map(|k| format!("{k:?}")).collect();
                outln!(
                    "  {:<24} {:<13} {:<7} {:<44} {}",
                    s.id,
                    format!("{:?}", s.difficulty),
                    format!("{:?}", s.channel),
                    s.title,
                    skills.join(", ")
                );
            }
        }
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
struct Bar(indicatif::ProgressBar);

impl crate::authoring::explore::Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn message(&self, m: &str) {
        self.0.set_message(m.to_string());
    }
}

fn explore_cmd(
    scenario: &str,
    pack: Option<&Path>,
    opts: crate::authoring::explore::ExploreOptions,
    format: Format,
) -> i32 {
    use crate::authoring::explore;
    let s = match find_scenario(scenario, pack) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if opts.budget == 0 || opts.max_depth == 0 {
        errln!("error: --budget and --max-depth must be at least 1");
        return 2;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} exploring [{bar:30}] {pos}/{len} states {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let report = explore::explore(&s, &opts, &Bar(bar.clone()));
    bar.finish_and_clear();
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Text => out!("{}", explore::report_text(&report)),
    }
    0
}

fn lint_cmd(path: &Path, deny_warnings: bool, format: Format) -> i32 {
    use crate::authoring::lint;
    if !path.exists() {
        errln!("error: {}: no such file or folder", path.display());
        return 2;
    }
    let findings = if path.is_dir() {
        match pack_or_exit(path) {
            Ok(p) => lint::lint_pack(&p),
            Err(c) => return c,
        }
    } else {
        // A scenario file: lint it with its pack's play-tests when the pack loads.
        let (s, diags) = match load::load_scenario_file(path) {
            Ok(x) => x,
            Err(e) => return load_error(&e),
        };
        print_diags(&diags);
        let Some(s) = s.filter(|_| !has_errors(&diags)) else {
            return 1;
        };
        let pack = load::load_pack(&s.pack.root)
            .ok()
            .and_then(|(p, d)| p.filter(|_| !has_errors(&d)));
        match pack {
            Some(p) => {
                let canon = |x: &Path| std::fs::canonicalize(x).unwrap_or_else(|_| x.to_path_buf());
                let me = canon(path);
                lint::lint_scenarios(&p, |x| canon(&x.source) == me)
            }
            None => {
                errln!(
                    "note: {}: the pack does not load, so rules that need its play-tests were skipped",
                    s.pack.root.display()
                );
                lint::lint_alone(&s)
            }
        }
    };
    match format {
        Format::Text => {
            for f in &findings {
                errln!("{f}");
            }
            errln!("{} warning(s)", findings.len());
        }
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".into())
        ),
    }
    if deny_warnings && !findings.is_empty() {
        1
    } else {
        0
    }
}

/// Tab completion for `firstline play`: the words the terminal offers right now.
struct PlayHelper {
    commands: Vec<String>,
    words: Vec<String>,
}

impl rustyline::completion::Completer for PlayHelper {
    type Candidate = String;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let start = line[..pos]
            .rfind(|c: char| c.is_whitespace() || c == '=')
            .map(|i| i + 1)
            .unwrap_or(0);
        let prefix = line[start..pos].to_lowercase();
        let pool = if line[..start].trim().is_empty() {
            &self.commands
        } else {
            &self.words
        };
        let found = pool
            .iter()
            .filter(|w| w.to_lowercase().starts_with(&prefix))
            .cloned()
            .collect();
        Ok((start, found))
    }
}
impl rustyline::hint::Hinter for PlayHelper {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for PlayHelper {}
impl rustyline::validate::Validator for PlayHelper {}
impl rustyline::Helper for PlayHelper {}

fn play_cmd(
    scenario: &str,
    pack: Option<&Path>,
    seed: u64,
    trainee: Option<&str>,
    data_dir: Option<&Path>,
) -> i32 {
    use crate::authoring::terminal::Terminal;
    use std::io::IsTerminal;
    let s = match find_scenario(scenario, pack) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // Open the store first so a refused store is reported before the trainee plays.
    let mut store = match trainee {
        Some(name) => match super::progress::open_profile(data_dir, name) {
            Ok(sp) => Some(sp),
            Err(c) => return c,
        },
        None => None,
    };
    let started_at = std::time::SystemTime::now();
    let started = std::time::Instant::now();
    let mut t = Terminal::new(&s, seed);
    out!("{}", t.intro());
    let mut editor = if std::io::stdin().is_terminal() {
        rustyline::Editor::<PlayHelper, rustyline::history::DefaultHistory>::new()
            .ok()
            .map(|mut e| {
                e.set_helper(Some(PlayHelper {
                    commands: vec![],
                    words: vec![],
                }));
                e
            })
    } else {
        None
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    while !t.finished() {
        let line = match editor.as_mut() {
            Some(e) => {
                if let Some(h) = e.helper_mut() {
                    h.commands = t.commands();
                    h.words = t.completions();
                }
                match e.readline("> ") {
                    Ok(l) => {
                        let _ = e.add_history_entry(l.as_str());
                        l
                    }
                    Err(_) => break,
                }
            }
            None => {
                out!("> ");
                match read_line(&mut input) {
                    Line::Text(l) => {
                        outln!("{l}");
                        l
                    }
                    Line::NotText(why) => {
                        outln!();
                        errln!("error: {why}; type the line again");
                        continue;
                    }
                    Line::End => break,
                }
            }
        };
        let r = t.handle(&line);
        out!("{}", r.text);
        if r.quit {
            break;
        }
    }
    if t.finished() {
        outln!("\nThe attempt is over.\n");
    } else {
        outln!("\nStopped before the end of the attempt; the scorecard so far:\n");
    }
    let card = t.scorecard();
    out!("{}", scorecard_text(&card));
    if let Some((store, profile)) = store.as_mut() {
        if !t.finished() {
            outln!("\nNot saved: the attempt was not finished.");
            return 0;
        }
        let rec = crate::progress::NewAttempt::from_session(
            t.session(),
            &card,
            started_at,
            started.elapsed(),
        );
        match store.save_or_recover(profile, &rec) {
            Ok(crate::progress::recovery::Saved::Stored(_)) => {
                outln!("\nSaved to {}'s progress.", profile.name)
            }
            Ok(crate::progress::recovery::Saved::Recovered { file, why }) => {
                errln!(
                    "error: {why}\nThe attempt was kept in {}; it is added to {}'s progress the next time Firstline opens the store.",
                    file.display(),
                    profile.name
                );
                return 2;
            }
            Err(e) => {
                errln!("error: {e}");
                return 2;
            }
        }
    }
    0
}

/// One line of `play`'s piped input.
enum Line {
    Text(String),
    /// A line that is not UTF-8 text (or could not be read), with why.
    NotText(String),
    End,
}

/// Reads one line (at most 64 KB) of piped input; invalid UTF-8 is reported, not the end.
fn read_line(input: &mut impl std::io::BufRead) -> Line {
    use std::io::{BufRead, Read};
    let mut buf = vec![];
    match input.by_ref().take(64 * 1024).read_until(b'\n', &mut buf) {
        Ok(0) => Line::End,
        Ok(_) => {
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            match String::from_utf8(buf) {
                Ok(l) => Line::Text(l),
                Err(e) => Line::NotText(format!(
                    "byte {} of that line (0x{:02X}) is not UTF-8 text",
                    e.utf8_error().valid_up_to() + 1,
                    e.as_bytes()[e.utf8_error().valid_up_to()]
                )),
            }
        }
        Err(e) => Line::NotText(format!("cannot read the line: {e}")),
    }
}

fn new_scenario_cmd(pack: &Path, id: &str, template: crate::authoring::scaffold::Template) -> i32 {
    use crate::authoring::scaffold;
    if !pack.join("pack.ron").is_file() {
        errln!(
            "error: {}: not a pack folder (no pack.ron); use --pack DIR",
            pack.display()
        );
        return 2;
    }
    match scaffold::new_scenario(pack, id, template) {
        Ok(files) => {
            for f in &files {
                outln!("created {}", f.display());
            }
            outln!(
                "next: firstline validate {p} && firstline test {p} && firstline lint {p} && firstline play {id} --pack {p}",
                p = pack.display()
            );
            0
        }
        Err(scaffold::ScaffoldError::Invalid(m)) => {
            errln!("error: {m}");
            1
        }
        Err(scaffold::ScaffoldError::Io(m)) => {
            errln!("error: {m}");
            2
        }
    }
}
