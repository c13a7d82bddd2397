//! Course descriptions for LMSs: the cmi5 course structure (`cmi5.xml`, cmi5 §13–14)
//! with one AU per scenario, and the SCORM 1.2 manifest (`imsmanifest.xml`) with one
//! item per scenario, all items launching the same page with `?scenario=ID`.

use super::http::{is_http_url, percent_encode};
use super::launch_data::MoveOn;
use crate::scenario::load::Pack;

/// The cmi5.xml namespace (cmi5 §13.2).
pub const CMI5_NS: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

/// A course: the pack, one unit per scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// Globally unique IRI (the pack's xAPI base).
    pub id: String,
    pub title: String,
    pub description: String,
    /// Scaled pass mark, 0..1.
    pub mastery: f64,
    pub move_on: MoveOn,
    pub units: Vec<Unit>,
}

/// One launchable unit (a scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The publisher id: the scenario's activity IRI, as in its xAPI statements.
    pub id: String,
    /// The scenario id, passed to the page as `?scenario=`.
    pub key: String,
    pub title: String,
    pub description: String,
}

impl Course {
    /// The pack as a course: its pass mark as mastery score, scenarios in pack order.
    pub fn from_pack(pack: &Pack, move_on: MoveOn) -> Course {
        let base = pack.meta.xapi_base();
        Course {
            id: base.clone(),
            title: pack.meta.title.clone(),
            description: non_empty(&pack.meta.description, &pack.meta.title),
            mastery: f64::from(pack.meta.pass_mark) / 100.0,
            move_on,
            units: pack
                .scenarios
                .iter()
                .map(|s| Unit {
                    id: format!("{base}/scenarios/{}", s.id),
                    key: s.id.clone(),
                    title: s.title.clone(),
                    description: non_empty(&s.summary, &s.title),
                })
                .collect(),
        }
    }
}

fn non_empty(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_string()
    } else {
        text.trim().to_string()
    }
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn langstring(tag: &str, text: &str, indent: &str) -> String {
    format!(
        "{indent}<{tag}>\n{indent}  <langstring lang=\"en-US\">{}</langstring>\n{indent}</{tag}>\n",
        xml_escape(text)
    )
}

/// The page URL that launches a unit: `BASE/index.html?scenario=ID`.
pub fn unit_url(base_url: &str, unit: &Unit) -> String {
    format!(
        "{}/index.html?scenario={}",
        base_url.trim_end_matches('/'),
        percent_encode(&unit.key)
    )
}

/// `cmi5.xml` for a course whose web build is hosted at `base_url`.
pub fn cmi5_xml(course: &Course, base_url: &str) -> Result<String, String> {
    if !is_http_url(base_url) || base_url.contains(['?', '#']) {
        return Err(format!(
            "--base-url `{base_url}` must be an http(s) URL without query or fragment, where the web build (index.html) is hosted"
        ));
    }
    if course.units.is_empty() {
        return Err("the pack has no scenarios: a cmi5 course needs at least one AU".into());
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!("<courseStructure xmlns=\"{CMI5_NS}\">\n"));
    x.push_str(&format!("  <course id=\"{}\">\n", xml_escape(&course.id)));
    x.push_str(&langstring("title", &course.title, "    "));
    x.push_str(&langstring("description", &course.description, "    "));
    x.push_str("  </course>\n");
    for u in &course.units {
        x.push_str(&format!(
            "  <au id=\"{}\" moveOn=\"{}\" masteryScore=\"{}\" launchMethod=\"AnyWindow\">\n",
            xml_escape(&u.id),
            course.move_on.name(),
            mastery_text(course.mastery),
        ));
        x.push_str(&langstring("title", &u.title, "    "));
        x.push_str(&langstring("description", &u.description, "    "));
        x.push_str(&format!(
            "    <url>{}</url>\n",
            xml_escape(&unit_url(base_url, u))
        ));
        x.push_str("  </au>\n");
    }
    x.push_str("</courseStructure>\n");
    Ok(x)
}

/// A decimal 0..1 with at most 4 places (cmi5 masteryScore).
fn mastery_text(m: f64) -> String {
    let s = format!("{:.4}", m.clamp(0.0, 1.0));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.into() }
}

/// An XML `ID` (NCName) for a unit: `item-` + the id with other characters as `_`.
fn ncname(prefix: &str, key: &str) -> String {
    let tail: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{tail}")
}

/// `imsmanifest.xml` (SCORM 1.2) listing `files` (paths inside the zip, `/`-separated)
/// as one SCO launched at `index.html`, one item per scenario.
pub fn scorm_manifest(course: &Course, files: &[String]) -> String {
    let mastery = (course.mastery * 100.0).round() as u32;
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<manifest identifier=\"{}\" version=\"1.0\"\n  xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n  xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n",
        ncname("firstline", &course.title.to_lowercase())
    ));
    x.push_str("  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n");
    x.push_str("  <organizations default=\"course\">\n    <organization identifier=\"course\">\n");
    x.push_str(&format!(
        "      <title>{}</title>\n",
        xml_escape(&course.title)
    ));
    for u in &course.units {
        x.push_str(&format!(
            "      <item identifier=\"{}\" identifierref=\"sco\" isvisible=\"true\" parameters=\"?scenario={}\">\n",
            ncname("item", &u.key),
            xml_escape(&percent_encode(&u.key))
        ));
        x.push_str(&format!(
            "        <title>{}</title>\n",
            xml_escape(&u.title)
        ));
        x.push_str(&format!(
            "        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>\n"
        ));
        x.push_str("      </item>\n");
    }
    x.push_str("    </organization>\n  </organizations>\n");
    x.push_str("  <resources>\n    <resource identifier=\"sco\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"index.html\">\n");
    for f in files {
        x.push_str(&format!("      <file href=\"{}\"/>\n", xml_escape(f)));
    }
    x.push_str("    </resource>\n  </resources>\n</manifest>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        Course {
            id: "https://firstline.example/packs/core".into(),
            title: "Core & <basics>".into(),
            description: "First-line support".into(),
            mastery: 0.7,
            move_on: MoveOn::Passed,
            units: vec![
                Unit {
                    id: "https://firstline.example/packs/core/scenarios/password-reset".into(),
                    key: "password-reset".into(),
                    title: "Locked out \"again\"".into(),
                    description: "A user cannot sign in".into(),
                },
                Unit {
                    id: "https://firstline.example/packs/core/scenarios/9-printer".into(),
                    key: "9-printer".into(),
                    title: "Printer".into(),
                    description: "Printer".into(),
                },
            ],
        }
    }

    #[test]
    fn cmi5_xml_has_one_au_per_scenario() {
        let x = cmi5_xml(&course(), "https://training.example.com/firstline/").unwrap();
        assert!(x.contains(&format!("<courseStructure xmlns=\"{CMI5_NS}\">")));
        assert_eq!(x.matches("<au ").count(), 2);
        assert!(x.contains(
            "<url>https://training.example.com/firstline/index.html?scenario=password-reset</url>"
        ));
        assert!(x.contains("moveOn=\"Passed\" masteryScore=\"0.7\""));
        assert!(x.contains("Core &amp; &lt;basics&gt;"));
        assert!(x.contains("Locked out &quot;again&quot;"));
        for bad in [
            "training.example.com",
            "https://t.example/?x=1",
            "ftp://x/y",
        ] {
            assert!(cmi5_xml(&course(), bad).is_err(), "{bad}");
        }
        let mut empty = course();
        empty.units.clear();
        assert!(cmi5_xml(&empty, "https://t.example").is_err());
        assert_eq!(mastery_text(1.0), "1");
        assert_eq!(mastery_text(0.0), "0");
        assert_eq!(mastery_text(0.755), "0.755");
    }

    #[test]
    fn the_scorm_manifest_lists_items_and_files() {
        let files = vec!["index.html".to_string(), "firstline_bg.wasm".to_string()];
        let x = scorm_manifest(&course(), &files);
        assert!(x.contains("<schemaversion>1.2</schemaversion>"));
        assert!(x.contains("identifier=\"item-password-reset\""));
        assert!(
            x.contains("identifier=\"item-9-printer\""),
            "ids are NCNames even for digits first"
        );
        assert!(x.contains("parameters=\"?scenario=password-reset\""));
        assert!(x.contains("<adlcp:masteryscore>70</adlcp:masteryscore>"));
        assert!(x.contains("<file href=\"firstline_bg.wasm\"/>"));
        assert!(x.contains("adlcp:scormtype=\"sco\" href=\"index.html\""));
        assert_eq!(xml_escape("a\u{1}b"), "ab");
    }
}
