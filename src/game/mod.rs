//! The desktop game: a Bevy + bevy_egui shell over the core.
//!
//! One plugin per screen (`title`, `browser`, `play`, `debrief`, `instructor`), a
//! [`Screen`] state for navigation, and the core's session held in a resource. UI code
//! only turns clicks and keys into [`UiCommand`]s; [`route`] turns those into the core's
//! [`Action`](crate::session::action::Action)s and screen changes. No game rule lives here.

pub mod browser;
pub mod debrief;
pub mod fonts;
pub mod instructor;
pub mod labels;
pub mod panels;
pub mod persona;
pub mod play;
pub mod play_ui;
pub mod progress;
pub mod reload;
pub mod screenshot;
pub mod shift;
pub mod shift_ui;
pub mod theme;
pub mod title;

use crate::progress::{AttemptSummary, NewAttempt, Profile, Store, StoredAttempt};
use crate::scenario::Diagnostic;
use crate::scenario::load::Pack;
use crate::scoring::{self, Scorecard};
use crate::session::Session;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use play_ui::{PlayCommand, PlayUi};
use std::path::PathBuf;
use std::sync::Arc;

/// The screens of the game (also the values of `firstline screenshot --screen`).
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Screen {
    #[default]
    Title,
    Browser,
    Play,
    Debrief,
    Instructor,
    Progress,
    /// The career ladder of shifts.
    Shifts,
    /// A shift in progress: the queue and the ticket in hand.
    Shift,
    /// The finished shift's report.
    ShiftReport,
}

/// The loaded pack, with the last good version kept when an edit breaks it.
#[derive(Resource, Default)]
pub struct PackState {
    pub dir: PathBuf,
    pub pack: Option<Arc<Pack>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Increments on every successful (re)load.
    pub generation: u64,
    /// Human-readable status of the last reload.
    pub status: String,
}

impl PackState {
    /// Loads (or reloads) the pack from disk through the core loader.
    pub fn reload(&mut self) {
        match crate::scenario::load::load_pack(&self.dir) {
            Err(e) => {
                self.status = format!("could not read the pack: {e}");
                self.diagnostics = vec![];
            }
            Ok((pack, diags)) => {
                let errors = diags.iter().filter(|d| d.is_error()).count();
                self.diagnostics = diags;
                match pack {
                    Some(p) if errors == 0 => {
                        self.pack = Some(Arc::new(p));
                        self.generation += 1;
                        self.status = format!("loaded (version {})", self.generation);
                    }
                    _ => {
                        self.status = if self.pack.is_some() {
                            format!("{errors} error(s): still running the last good version")
                        } else {
                            format!("{errors} error(s): the pack could not be loaded")
                        };
                    }
                }
            }
        }
    }
}

/// Display settings.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub ui_scale: f32,
    pub dark: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            ui_scale: 1.0,
            dark: true,
        }
    }
}

/// Who is at the keyboard: the Instructor view (every scenario's variants and answers)
/// is only offered in instructor mode (`--instructor`), off by default.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    pub instructor: bool,
}

/// The attempt in progress.
#[derive(Resource, Default)]
pub struct ActivePlay(pub Option<PlayUi>);

/// A finished attempt, shown by the debrief.
#[derive(Clone)]
pub struct Finished {
    pub session: Session,
    pub scorecard: Scorecard,
    /// Shown above a debrief rebuilt from the store when it differs from today's scenario.
    pub note: Option<String>,
}

/// The last finished attempt.
#[derive(Resource, Default)]
pub struct LastAttempt(pub Option<Finished>);

/// Trainee profiles and progress, backed by the core's SQLite store.
#[derive(Resource, Default)]
pub struct ProfileState {
    store: Option<std::sync::Mutex<Store>>,
    /// Why progress is not being saved (the store was refused or a write failed).
    pub problem: Option<String>,
    pub names: Vec<String>,
    pub current: Option<Profile>,
    /// The current profile's attempts, oldest first.
    pub attempts: Vec<AttemptSummary>,
    /// The current profile's best score per scenario.
    best: std::collections::BTreeMap<String, u32>,
}

impl ProfileState {
    /// Opens the store in the data directory; a refused store leaves progress unsaved
    /// (and the file untouched) with the reason in `problem`.
    pub fn open(data_dir: Option<&std::path::Path>) -> ProfileState {
        match Store::open(data_dir) {
            Ok(store) => ProfileState::with_store(store),
            Err(e) => ProfileState {
                problem: Some(format!("Progress will not be saved: {e}")),
                ..Default::default()
            },
        }
    }

    /// Wraps an open store.
    pub fn with_store(store: Store) -> ProfileState {
        let mut st = ProfileState {
            store: Some(std::sync::Mutex::new(store)),
            ..Default::default()
        };
        st.refresh();
        st
    }

    fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Option<T> {
        let m = self.store.as_ref()?;
        let mut guard = m.lock().unwrap_or_else(|p| p.into_inner());
        Some(f(&mut guard))
    }

    /// Re-reads profiles and the current profile's attempts.
    pub fn refresh(&mut self) {
        let Some((names, current, attempts, best)) = self.with(|s| {
            let current = s.current_profile();
            let (attempts, best) = current
                .as_ref()
                .map(|p| (s.attempts(Some(p.id)), s.best_scores(p.id)))
                .unwrap_or_default();
            (
                s.profiles().into_iter().map(|p| p.name).collect(),
                current,
                attempts,
                best,
            )
        }) else {
            return;
        };
        self.names = names;
        self.current = current;
        self.attempts = attempts;
        self.best = best;
    }

    /// The current profile's best score on a scenario.
    pub fn best_for(&self, scenario: &str) -> Option<u32> {
        self.best.get(scenario).copied()
    }

    /// The variant the current profile played last on a scenario.
    pub fn last_variant(&self, scenario: &str) -> Option<String> {
        let id = self.current.as_ref()?.id;
        self.with(|s| s.last_variant(id, scenario)).flatten()
    }

    /// A stored attempt of the current profile.
    pub fn stored(&self, id: crate::progress::AttemptId) -> Option<StoredAttempt> {
        self.with(|s| s.attempt(id)).flatten()
    }

    fn create(&mut self, name: &str) {
        if let Some(Err(e)) = self.with(|s| s.create_profile(name).map(|_| ())) {
            self.problem = Some(e.to_string());
        }
        self.refresh();
    }

    fn select(&mut self, name: &str) {
        if let Some(Err(e)) = self.with(|s| s.select_profile(name)) {
            self.problem = Some(e.to_string());
        }
        self.refresh();
    }

    /// Saves a finished shift (with its tickets) for the current profile, if there is one.
    pub fn save_shift(&mut self, shift: &crate::progress::shifts::NewShift) {
        let Some(p) = self.current.clone() else {
            return;
        };
        use crate::progress::recovery::ShiftSaved;
        match self.with(|s| s.save_shift_or_recover(&p, shift)) {
            Some(Ok(ShiftSaved::Recovered { file, why })) => {
                self.problem = Some(format!(
                    "This shift could not be saved ({why}). It was kept in {} and is added to your progress the next time Firstline starts.",
                    file.display()
                ));
            }
            Some(Err(e)) => self.problem = Some(format!("This shift could not be saved: {e}")),
            _ => {}
        }
        self.refresh();
    }

    /// Shift ids the current profile has passed (for the career ladder).
    pub fn passed_shifts(&self) -> Vec<String> {
        let Some(p) = self.current.as_ref() else {
            return vec![];
        };
        self.with(|s| s.shifts(Some(p.id)))
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.passed)
            .map(|s| s.shift_id)
            .collect()
    }

    /// Saves a finished attempt for the current profile (if there is one).
    fn save(&mut self, attempt: &NewAttempt) {
        let Some(p) = self.current.clone() else {
            return;
        };
        use crate::progress::recovery::Saved;
        match self.with(|s| s.save_or_recover(&p, attempt)) {
            Some(Ok(Saved::Recovered { file, why })) => {
                self.problem = Some(format!(
                    "This attempt could not be saved ({why}); it was kept in {} and is added the next time Firstline starts.",
                    file.display()
                ));
            }
            Some(Err(e)) => self.problem = Some(format!("This attempt could not be saved: {e}")),
            _ => {}
        }
        self.refresh();
    }
}

/// What the UI asked for this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum UiCommand {
    Go(Screen),
    /// Start a scenario; `None` seed picks a random one.
    Start {
        scenario: String,
        seed: Option<u64>,
    },
    /// Retry the last attempt's scenario: same seed, or a seed giving another variant.
    Retry {
        same_variant: bool,
    },
    Play(PlayCommand),
    /// Score the attempt and open the debrief.
    Finish,
    /// Leave the attempt without scoring it.
    Abandon,
    SelectProfile(String),
    /// Open a stored attempt's debrief (rebuilt by replaying its action log).
    OpenAttempt(crate::progress::AttemptId),
    CreateProfile(String),
    SetScale(f32),
    SetDark(bool),
    ReloadPack,
}

/// Commands queued by UI systems, routed once per frame.
#[derive(Resource, Default)]
pub struct UiQueue(pub Vec<UiCommand>);

use crate::progress::recommend::{fresh_seed, seed_avoiding};

/// Turns queued UI commands into core actions and screen changes.
#[allow(clippy::too_many_arguments)]
pub fn route(
    mut queue: ResMut<UiQueue>,
    mut next: ResMut<NextState<Screen>>,
    mut play: ResMut<ActivePlay>,
    mut last: ResMut<LastAttempt>,
    mut profiles: ResMut<ProfileState>,
    mut settings: ResMut<Settings>,
    mut pack_mut: ResMut<PackState>,
    mode: Res<Mode>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if queue.0.is_empty() {
        return;
    }
    for cmd in std::mem::take(&mut queue.0) {
        match cmd {
            // The Instructor view shows every variant and answer: instructors only.
            UiCommand::Go(Screen::Instructor) if !mode.instructor => {}
            UiCommand::Go(s) => {
                next.set(s);
            }
            UiCommand::Start { scenario, seed } => {
                let Some(p) = pack_mut.pack.clone() else {
                    continue;
                };
                if let Some(s) = p.scenario(&scenario) {
                    // A random start never repeats the variant played last time.
                    let seed = seed.unwrap_or_else(|| {
                        seed_avoiding(s, profiles.last_variant(&scenario).as_deref(), fresh_seed())
                    });
                    play.0 = Some(PlayUi::new(Session::new(s, seed), p.clone()));
                    next.set(Screen::Play);
                }
            }
            UiCommand::Retry { same_variant } => {
                let Some(f) = &last.0 else { continue };
                let Some(p) = pack_mut.pack.clone() else {
                    continue;
                };
                let Some(s) = p.scenario(&f.session.scenario().id).cloned() else {
                    continue;
                };
                let seed = if same_variant {
                    f.session.seed()
                } else {
                    Session::seed_for_other_variant(&s, f.session.variant_key(), fresh_seed())
                };
                play.0 = Some(PlayUi::new(Session::new(&s, seed), p.clone()));
                next.set(Screen::Play);
            }
            UiCommand::Play(pc) => {
                if let Some(ui) = play.0.as_mut() {
                    ui.apply(pc);
                }
            }
            UiCommand::Finish => {
                if let Some(ui) = play.0.take() {
                    let card = scoring::score(ui.session.scenario(), &ui.session.attempt());
                    let mut record = NewAttempt::from_session(
                        &ui.session,
                        &card,
                        ui.started_at,
                        ui.active_time(),
                    );
                    // Pauses are not time on the attempt, but the attempt ended now.
                    record.summary.finished_at =
                        crate::progress::record::timestamp(std::time::SystemTime::now());
                    profiles.save(&record);
                    last.0 = Some(Finished {
                        session: ui.session,
                        scorecard: card,
                        note: None,
                    });
                    next.set(Screen::Debrief);
                }
            }
            UiCommand::Abandon => {
                play.0 = None;
                next.set(Screen::Browser);
            }
            UiCommand::SelectProfile(n) => profiles.select(&n),
            UiCommand::CreateProfile(n) => profiles.create(&n),
            UiCommand::OpenAttempt(id) => {
                let Some(p) = pack_mut.pack.clone() else {
                    continue;
                };
                let Some(stored) = profiles.stored(id) else {
                    continue;
                };
                match crate::progress::replay::replay(&p, &stored) {
                    Ok(r) => {
                        last.0 = Some(Finished {
                            session: r.session,
                            scorecard: r.scorecard,
                            note: r.note,
                        });
                        next.set(Screen::Debrief);
                    }
                    Err(e) => profiles.problem = Some(e),
                }
            }
            UiCommand::SetScale(s) => settings.ui_scale = s.clamp(0.75, 2.0),
            UiCommand::SetDark(d) => settings.dark = d,
            UiCommand::ReloadPack => pack_mut.reload(),
        }
    }
    redraw.write(RequestRedraw);
}

/// Everything the shell adds on top of Bevy's plugins (shared by the game, the
/// screenshot mode and headless tests).
pub fn core_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .init_resource::<UiQueue>()
        .init_resource::<ActivePlay>()
        .init_resource::<LastAttempt>()
        .init_resource::<Settings>()
        .init_resource::<Mode>()
        .init_resource::<ProfileState>()
        .init_resource::<PackState>()
        .add_message::<RequestRedraw>()
        .add_systems(Update, route);
}

/// When the process started (for the cold-start measurement).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// With `FIRSTLINE_PERF=1`: logs the time to the first frame and every frame's duration.
fn perf_log(time: Res<Time<Real>>, mut frames: Local<u64>) {
    *frames += 1;
    if *frames == 1 {
        if let Some(t) = STARTED.get() {
            eprintln!("perf: first frame after {} ms", t.elapsed().as_millis());
        }
    } else {
        eprintln!(
            "perf: frame {} took {:.2} ms",
            *frames,
            time.delta_secs_f64() * 1000.0
        );
    }
}

/// Options for starting the game.
#[derive(Debug, Clone, Default)]
pub struct GameOptions {
    pub pack_dir: PathBuf,
    /// Open this scenario straight away (skipping the title and browser).
    pub start: Option<(String, Option<u64>)>,
    pub screenshot: Option<screenshot::ScreenshotRequest>,
    pub data_dir: Option<PathBuf>,
    /// Display settings to start with.
    pub settings: Settings,
    /// Instructor mode (the Instructor view is hidden from trainees otherwise).
    pub instructor: bool,
}

/// Opens the game window. Returns the process exit code.
pub fn run(opts: GameOptions) -> i32 {
    use bevy::winit::WinitSettings;
    use bevy_egui::EguiPlugin;
    let pack_dir = std::fs::canonicalize(&opts.pack_dir).unwrap_or(opts.pack_dir.clone());
    let mut pack = PackState {
        dir: pack_dir.clone(),
        ..Default::default()
    };
    pack.reload();
    if pack.pack.is_none() {
        for d in &pack.diagnostics {
            eprintln!("{d}");
        }
        eprintln!("{}: {}", pack_dir.display(), pack.status);
        return 1;
    }
    let (width, height) = opts
        .screenshot
        .as_ref()
        .map(|s| (s.width, s.height))
        .unwrap_or((1280, 720));
    let mut app = App::new();
    fonts::register_source(&mut app);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "Firstline — help desk training".into(),
                    // Vsync by default; FIRSTLINE_NO_VSYNC=1 for measurements on software renderers.
                    present_mode: if std::env::var_os("FIRSTLINE_NO_VSYNC").is_some() {
                        bevy::window::PresentMode::AutoNoVsync
                    } else {
                        bevy::window::PresentMode::AutoVsync
                    },
                    resolution: bevy::window::WindowResolution::new(width, height)
                        .with_scale_factor_override(1.0),
                    ..default()
                }),
                ..default()
            })
            .set(AssetPlugin {
                file_path: pack_dir.to_string_lossy().to_string(),
                // Live reload watches the pack itself (`reload.rs`), never through assets.
                watch_for_changes_override: Some(false),
                meta_check: bevy::asset::AssetMetaCheck::Never,
                ..default()
            }),
    )
    .add_plugins(EguiPlugin::default())
    .insert_resource(WinitSettings::desktop_app())
    .add_plugins(core_plugin)
    .insert_resource(opts.settings)
    .insert_resource(Mode {
        instructor: opts.instructor,
    })
    .insert_resource(pack)
    .insert_resource(ProfileState::open(opts.data_dir.as_deref()))
    .add_plugins((
        title::plugin,
        browser::plugin,
        play::plugin,
        debrief::plugin,
        instructor::plugin,
        progress::plugin,
        shift::plugin,
    ))
    .add_plugins((reload::plugin, theme::plugin, fonts::plugin))
    .add_systems(Startup, |mut commands: Commands| {
        // egui draws everything; multisampling only costs time on software renderers.
        commands.spawn((Camera2d, Msaa::Off));
    });
    if let Some(req) = opts.screenshot {
        app.add_plugins(screenshot::plugin(req));
    }
    if let Some((scenario, seed)) = opts.start {
        app.world_mut()
            .resource_mut::<UiQueue>()
            .0
            .push(UiCommand::Start { scenario, seed });
    }
    if std::env::var_os("FIRSTLINE_PERF").is_some() {
        app.add_systems(Last, perf_log);
    }
    match app.run() {
        AppExit::Success => 0,
        AppExit::Error(c) => c.get() as i32,
    }
}
