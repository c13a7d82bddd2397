//! Live reload: the pack folder is watched through Bevy's asset server (with the
//! `file_watcher` feature); any change to a scenario, article or play-test reloads the
//! pack through the core loader. A broken edit keeps the last good version running.

use super::PackState;
use bevy::asset::io::Reader;
use bevy::asset::{Asset, AssetLoader, LoadContext, LoadedFolder};
use bevy::prelude::*;
use bevy::reflect::TypePath;
use bevy::window::RequestRedraw;

/// The raw bytes of one pack file; only used to notice changes.
#[derive(Asset, TypePath, Debug)]
pub struct PackFile {
    pub len: usize,
}

/// Loads `.ron` and `.md` files of the pack as [`PackFile`]s.
#[derive(Default, TypePath)]
pub struct PackFileLoader;

impl AssetLoader for PackFileLoader {
    type Asset = PackFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _: &(),
        _: &mut LoadContext<'_>,
    ) -> Result<PackFile, Self::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        Ok(PackFile { len: bytes.len() })
    }

    fn extensions(&self) -> &[&str] {
        &["ron", "md"]
    }
}

/// Keeps the folder handle alive and debounces reloads.
#[derive(Resource, Default)]
struct Watch {
    folder: Option<Handle<LoadedFolder>>,
    pending: Option<f32>,
    /// Seconds since start when the initial folder load finished (its own `Added`
    /// events are not edits).
    ready_at: Option<f32>,
}

fn start(mut watch: ResMut<Watch>, server: Res<AssetServer>) {
    watch.folder = Some(server.load_folder("."));
}

fn on_change(
    mut events: MessageReader<AssetEvent<PackFile>>,
    mut folder_events: MessageReader<AssetEvent<LoadedFolder>>,
    mut watch: ResMut<Watch>,
    time: Res<Time>,
    mut pack: ResMut<PackState>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let now = time.elapsed_secs();
    for e in folder_events.read() {
        if matches!(e, AssetEvent::LoadedWithDependencies { .. }) && watch.ready_at.is_none() {
            watch.ready_at = Some(now);
        }
    }
    for e in events.read() {
        let edit = match e {
            AssetEvent::Modified { .. } | AssetEvent::Removed { .. } => true,
            AssetEvent::Added { .. } => watch.ready_at.is_some_and(|t| now > t + 2.0),
            _ => false,
        };
        if edit && watch.ready_at.is_some() {
            watch.pending = Some(now + 0.05);
        }
    }
    if let Some(at) = watch.pending {
        if now >= at {
            watch.pending = None;
            pack.reload();
            info!("pack reloaded: {}", pack.status);
            redraw.write(RequestRedraw);
        } else {
            redraw.write(RequestRedraw);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_asset::<PackFile>()
        .init_asset_loader::<PackFileLoader>()
        .init_resource::<Watch>()
        .add_systems(Startup, start)
        .add_systems(Update, on_change);
}
