//! The release bundle's size, and what the browser downloads to show a given page.
//!
//! With the wasm split per route, "the first page" is no longer one fixed set of files:
//! each page's HTML names what it needs (the main script and wasm, the stylesheet, and
//! preload links to the wasm of its own route), so the figures are read from the HTML
//! the server actually sends.

use super::BoxError;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The split loader the main script imports whenever the wasm is split.
const SPLIT_LOADER_PREFIX: &str = "__wasm_split";

/// A page and the files under `/pkg/` its HTML makes the browser download.
pub struct PageDownloads {
    pub label: String,
    pub files: BTreeSet<String>,
}

/// Fetches `url` (with `cookie`, if given) and collects the `/pkg/` files it names.
pub async fn page_downloads(
    url: &str,
    cookie: Option<&str>,
    label: &str,
    pkg: &Path,
) -> Result<PageDownloads, BoxError> {
    let client = reqwest::Client::new();
    let mut request = client.get(url);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: {}", response.status()).into());
    }
    let html = response.text().await?;
    let mut files = pkg_files_named_in(&html);
    // The loader is imported by the main script, not named in the page.
    files.extend(
        list(pkg)
            .into_iter()
            .filter(|name| name.starts_with(SPLIT_LOADER_PREFIX) && name.ends_with(".js")),
    );
    // A site folder emptied by a server-only build would otherwise read as 0 KB.
    if let Some(missing) = files.iter().find(|f| !pkg.join(f).is_file()) {
        return Err(format!(
            "{url} names /pkg/{missing}, which {} does not hold: build the site first \
             (scripts/build)",
            pkg.display()
        )
        .into());
    }
    Ok(PageDownloads {
        label: label.to_string(),
        files,
    })
}

/// The file names of every `href="/pkg/…"` in `html`.
fn pkg_files_named_in(html: &str) -> BTreeSet<String> {
    html.split("href=\"/pkg/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The wasm, JS and CSS files in the site's `pkg` folder.
fn list(pkg: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(pkg)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".wasm") || n.ends_with(".js") || n.ends_with(".css"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Size of the file and of its `.br` beside it (cargo-leptos precompresses), if any.
fn sizes_of(path: &Path) -> Option<(u64, Option<u64>)> {
    let raw = std::fs::metadata(path).ok()?.len();
    let mut br = path.as_os_str().to_owned();
    br.push(".br");
    Some((
        raw,
        std::fs::metadata(PathBuf::from(br)).ok().map(|m| m.len()),
    ))
}

/// What the browser downloads of `files`: each one's brotli size where a `.br` exists,
/// its raw size otherwise.
fn downloaded<'a>(pkg: &Path, files: impl IntoIterator<Item = &'a String>) -> u64 {
    files
        .into_iter()
        .filter_map(|f| sizes_of(&pkg.join(f)))
        .map(|(raw, br)| br.unwrap_or(raw))
        .sum()
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The bundle table: the main files, the route chunks together, and what each page
/// downloads (brotli where a `.br` exists, raw otherwise).
pub fn table(pkg: &Path, pages: &[PageDownloads]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n| release bundle | raw | brotli |\n|---|---:|---:|");
    let names = list(pkg);
    let (mut chunks, mut chunks_raw, mut chunks_br) = (0, 0, 0);
    for name in &names {
        let Some((raw, br)) = sizes_of(&pkg.join(name)) else {
            continue;
        };
        if name.starts_with("encora.") || name.starts_with(SPLIT_LOADER_PREFIX) {
            let br = br.map_or("—".into(), kb);
            let _ = writeln!(out, "| {name} | {} | {br} |", kb(raw));
        } else {
            chunks += 1;
            chunks_raw += raw;
            chunks_br += br.unwrap_or(raw);
        }
    }
    if chunks > 0 {
        let _ = writeln!(
            out,
            "| {chunks} lazily loaded wasm chunks, together | {} | {} |",
            kb(chunks_raw),
            kb(chunks_br)
        );
    }
    for page in pages {
        let wasm: Vec<&String> = page.files.iter().filter(|f| f.ends_with(".wasm")).collect();
        let _ = writeln!(
            out,
            "| downloaded for {} ({}, brotli) | | {} |",
            page.label,
            files(page.files.len()),
            kb(downloaded(pkg, &page.files))
        );
        // The performance budget counts the wasm alone.
        let _ = writeln!(
            out,
            "| the wasm of it ({}, brotli) | | {} |",
            files(wasm.len()),
            kb(downloaded(pkg, wasm))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_counts_its_brotli_files_and_its_wasm_apart() {
        let pkg = std::env::temp_dir().join(format!("encora-bundle-{}", std::process::id()));
        std::fs::create_dir_all(&pkg).unwrap();
        for (name, bytes) in [
            ("encora.wasm", 4096),
            ("encora.wasm.br", 2048),
            ("encora.js", 3072),
            ("encora.js.br", 1024),
            ("chunk_1.wasm", 512),
        ] {
            std::fs::write(pkg.join(name), vec![0u8; bytes]).unwrap();
        }
        let page = PageDownloads {
            label: "a page".into(),
            files: ["encora.wasm", "encora.js", "chunk_1.wasm"]
                .map(String::from)
                .into(),
        };
        let table = table(&pkg, &[page]);
        std::fs::remove_dir_all(&pkg).unwrap();
        // 2048 + 1024 + 512 (no .br beside the chunk), and the wasm alone 2048 + 512.
        assert!(
            table.contains("| downloaded for a page (3 files, brotli) | | 3.5 KB |"),
            "{table}"
        );
        assert!(
            table.contains("| the wasm of it (2 files, brotli) | | 2.5 KB |"),
            "{table}"
        );
    }

    #[test]
    fn names_the_pkg_files_a_page_links() {
        let html = r#"<link rel="modulepreload" href="/pkg/encora.js"><link rel="preload" href="/pkg/encora.wasm" as="fetch"><link rel="stylesheet" href="/pkg/encora.css"><link rel="preload" href="/pkg/dashboard_1.wasm"><a href="/dashboard">x</a>"#;
        let files: Vec<_> = pkg_files_named_in(html).into_iter().collect();
        assert_eq!(
            files,
            ["dashboard_1.wasm", "encora.css", "encora.js", "encora.wasm"]
        );
    }
}
