//! Knowledge-base articles: `kb/*.md` files with a title, tags and a body.

use super::diagnostic::Diagnostic;
use serde::Serialize;
use std::path::Path;

/// One knowledge-base article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KbArticle {
    /// File name without `.md`.
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    /// Marked `outdated: true` by the author (trainees are not told).
    pub outdated: bool,
    pub body: String,
}

/// Parses an article: `# Title`, then optional `tags: a, b` and `outdated: true` lines, then the body.
pub fn parse_article(id: &str, path: &Path, src: &str) -> Result<KbArticle, Diagnostic> {
    let mut lines = src.lines().enumerate().peekable();
    while lines.peek().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.next();
    }
    let Some((n, first)) = lines.next() else {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            "the article is empty; expected a first line `# Title`",
        ));
    };
    let Some(title) = first
        .trim()
        .strip_prefix("# ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Err(Diagnostic::error(
            path,
            n + 1,
            1,
            format!(
                "found `{}`; expected the article to start with a title line like `# Resetting a password`",
                first.trim()
            ),
        ));
    };
    let mut tags = vec![];
    let mut outdated = false;
    let mut body = String::new();
    let mut in_header = true;
    for (_, l) in lines {
        if in_header {
            if let Some(t) = l.trim().strip_prefix("tags:") {
                tags = t
                    .split(',')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect();
                continue;
            }
            if let Some(t) = l.trim().strip_prefix("outdated:") {
                outdated = t.trim() == "true";
                continue;
            }
            if l.trim().is_empty() {
                continue;
            }
            in_header = false;
        }
        body.push_str(l);
        body.push('\n');
    }
    Ok(KbArticle {
        id: id.to_string(),
        title: title.to_string(),
        tags,
        outdated,
        body: body.trim_end().to_string(),
    })
}

/// Ranks articles for a search query (title and tag matches weigh more than the body).
pub fn search<'a>(
    articles: impl Iterator<Item = (usize, &'a KbArticle)>,
    query: &str,
) -> Vec<usize> {
    let terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.len() > 1)
        .map(|t| t.to_lowercase())
        .collect();
    if terms.is_empty() {
        return vec![];
    }
    let mut scored: Vec<(u32, usize)> = articles
        .filter_map(|(i, a)| {
            let title = a.title.to_lowercase();
            let body = a.body.to_lowercase();
            let mut score = 0;
            for t in &terms {
                if title.contains(t.as_str()) {
                    score += 5;
                }
                if a.tags.iter().any(|g| g.contains(t.as_str())) {
                    score += 4;
                }
                score += body.matches(t.as_str()).count().min(3) as u32;
            }
            (score > 0).then_some((score, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_and_body() {
        let a = parse_article(
            "x",
            Path::new("kb/x.md"),
            "# Reset\ntags: password, account\n\nStep one.\n",
        )
        .unwrap();
        assert_eq!(a.title, "Reset");
        assert_eq!(a.tags, vec!["password", "account"]);
        assert_eq!(a.body, "Step one.");
        assert!(parse_article("x", Path::new("x.md"), "no title").is_err());
        assert!(parse_article("x", Path::new("x.md"), "").is_err());
    }

    #[test]
    fn search_ranks_title_first() {
        let a = parse_article("a", Path::new("a"), "# Printer spooler\n\nbody").unwrap();
        let b = parse_article("b", Path::new("b"), "# Other\n\nprinter printer").unwrap();
        let v = [a, b];
        assert_eq!(search(v.iter().enumerate(), "printer"), vec![0, 1]);
        assert!(search(v.iter().enumerate(), "zzz").is_empty());
    }
}
