//! The bundled UI fonts (`assets/fonts/`): Noto Sans for text (wide glyph coverage,
//! arrows included) and the Lucide icon font, loaded through Bevy's asset server from the
//! `ui://` asset source and handed to egui once loaded.

use bevy::asset::io::AssetSourceBuilder;
use bevy::prelude::*;
use bevy::text::Font;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use std::path::PathBuf;
use std::sync::Arc;

/// The egui font family of the icon font.
pub const ICONS: &str = "icons";
/// The files under `assets/fonts/`: regular text, bold text, icons, and the fallback
/// for arrows and symbols Noto Sans lacks.
pub const FILES: [&str; 4] = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "lucide.ttf",
    "DejaVuSans.ttf",
];

/// The `assets/` folder: beside the working directory's `scenarios/`, else beside the
/// sources.
pub fn assets_dir() -> PathBuf {
    let here = PathBuf::from("assets");
    if here.join("fonts").is_dir() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// Reads the bundled fonts from disk (for tests and tools without an asset server).
pub fn read_bundled() -> std::io::Result<[Vec<u8>; 4]> {
    let dir = assets_dir().join("fonts");
    Ok([
        std::fs::read(dir.join(FILES[0]))?,
        std::fs::read(dir.join(FILES[1]))?,
        std::fs::read(dir.join(FILES[2]))?,
        std::fs::read(dir.join(FILES[3]))?,
    ])
}

/// egui's font set with the bundled fonts first (Noto Sans, then DejaVu Sans for
/// symbols; egui's own fonts stay as fallbacks, for emoji), the bold face as the `bold`
/// family and the icons as [`ICONS`].
pub fn definitions([regular, bold, icons, symbols]: [Vec<u8>; 4]) -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans".into(),
        Arc::new(egui::FontData::from_owned(symbols)),
    );
    fonts.font_data.insert(
        "noto-sans".into(),
        Arc::new(egui::FontData::from_owned(regular)),
    );
    fonts.font_data.insert(
        "noto-sans-bold".into(),
        Arc::new(egui::FontData::from_owned(bold)),
    );
    fonts
        .font_data
        .insert("lucide".into(), Arc::new(egui::FontData::from_owned(icons)));
    let prop = fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default();
    prop.insert(0, "noto-sans".into());
    prop.insert(1, "dejavu-sans".into());
    // Monospace text falls back to Noto Sans for the glyphs its own font lacks.
    fonts
        .families
        .entry(egui::FontFamily::Monospace)
        .or_default()
        .extend(["noto-sans".into(), "dejavu-sans".into()]);
    fonts.families.insert(
        egui::FontFamily::Name("bold".into()),
        vec!["noto-sans-bold".into(), "dejavu-sans".into()],
    );
    fonts.families.insert(
        egui::FontFamily::Name(ICONS.into()),
        vec!["lucide".into(), "noto-sans".into()],
    );
    fonts
}

/// Installs the bundled fonts read from disk into a context (tests, screenshots of
/// egui-only UIs). Returns false when the files are missing.
pub fn install_from_disk(ctx: &egui::Context) -> bool {
    match read_bundled() {
        Ok(f) => {
            ctx.set_fonts(definitions(f));
            true
        }
        Err(_) => false,
    }
}

/// egui's default fonts with the `bold` and [`ICONS`] families bound, until the bundled
/// fonts have loaded.
pub fn fallback() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    let prop = fonts.families[&egui::FontFamily::Proportional].clone();
    fonts
        .families
        .insert(egui::FontFamily::Name("bold".into()), prop.clone());
    fonts
        .families
        .insert(egui::FontFamily::Name(ICONS.into()), prop);
    fonts
}

/// The font handles while they load; `installed` once egui has them.
#[derive(Resource)]
pub struct UiFonts {
    handles: [Handle<Font>; 4],
    fallback: bool,
    pub installed: bool,
}

fn load(mut commands: Commands, server: Res<AssetServer>) {
    let handles = FILES.map(|f| server.load::<Font>(format!("ui://fonts/{f}")));
    commands.insert_resource(UiFonts {
        handles,
        fallback: false,
        installed: false,
    });
}

fn install(
    mut contexts: EguiContexts,
    mut st: ResMut<UiFonts>,
    fonts: Res<Assets<Font>>,
) -> Result {
    if st.installed {
        return Ok(());
    }
    if !st.fallback {
        contexts.ctx_mut()?.set_fonts(fallback());
        st.fallback = true;
    }
    let Some(data) = st
        .handles
        .iter()
        .map(|h| fonts.get(h).map(|f| f.data.data().to_vec()))
        .collect::<Option<Vec<_>>>()
        .and_then(|v| <[Vec<u8>; 4]>::try_from(v).ok())
    else {
        return Ok(());
    };
    contexts.ctx_mut()?.set_fonts(definitions(data));
    st.installed = true;
    Ok(())
}

/// Registers the `ui://` asset source; must run before `AssetPlugin`.
pub fn register_source(app: &mut App) {
    let dir = assets_dir();
    // Bevy reads relative paths from beside the executable: give it an absolute one.
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    app.register_asset_source(
        "ui",
        AssetSourceBuilder::platform_default(&dir.to_string_lossy(), None),
    );
}

/// Loads the fonts and installs them when they arrive.
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, load)
        .add_systems(EguiPrimaryContextPass, install);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13 (B5): every character of the bundled pack (scenarios, KB, pack.ron), of
    /// the shortcut map and of the arrows the UI draws has a glyph in the bundled fonts.
    #[test]
    fn issue13_bundled_fonts_cover_every_character_the_game_shows() {
        let mut text = String::from("→ ← ▶ ◀ ★ … — – · • ✔ ⚠ ↳ ’ “ ” £ € é ü");
        for (k, v) in crate::game::panels::SHORTCUTS {
            text.push_str(k);
            text.push_str(v);
        }
        let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files = vec![pack.join("pack.ron")];
        for dir in [pack.clone(), pack.join("kb")] {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                files.push(e.path());
            }
        }
        for f in files.iter().filter(|f| f.is_file()) {
            text.push_str(&std::fs::read_to_string(f).unwrap_or_default());
        }
        let chars: std::collections::BTreeSet<char> =
            text.chars().filter(|c| !c.is_control()).collect();
        // The faces of the proportional family, in order, as the game installs them.
        let defs = definitions(read_bundled().expect("assets/fonts is readable"));
        let faces: Vec<ttf_parser::Face<'_>> = defs.families[&egui::FontFamily::Proportional]
            .iter()
            .map(|n| ttf_parser::Face::parse(defs.font_data[n].font.as_ref(), 0).unwrap())
            .collect();
        let missing: Vec<char> = chars
            .iter()
            .copied()
            .filter(|c| *c != '\u{fe0f}' && !faces.iter().any(|f| f.glyph_index(*c).is_some()))
            .collect();
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        // The icon font has every icon the game uses.
        let icons = [
            crate::game::labels::icon::PHONE,
            crate::game::labels::icon::TICKET,
            crate::game::labels::icon::RESOLVED,
            crate::game::labels::icon::TERMINAL,
        ];
        let lucide = ttf_parser::Face::parse(defs.font_data["lucide"].font.as_ref(), 0).unwrap();
        for c in icons {
            assert!(lucide.glyph_index(c).is_some(), "icon {c:?}");
        }
        // Arrows (B5) come from the bundled fonts, not from egui's emoji fallback.
        assert!(faces[..2].iter().any(|f| f.glyph_index('→').is_some()));
    }
}
