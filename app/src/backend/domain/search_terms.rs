//! How names and email addresses are split into the words a search matches: runs of
//! letters and digits, lower-cased ("Ada.Lovelace@Example.com" is "ada", "lovelace",
//! "example", "com"). A search's own words are split the same way, and each must start
//! one of the document's words.

use std::collections::BTreeSet;

/// The words of `text`, in order, repeats kept.
pub fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The distinct words of every text, sorted: what a document is indexed under.
pub fn document_words(texts: &[&str]) -> Vec<String> {
    let words: BTreeSet<String> = texts.iter().flat_map(|text| words_of(text)).collect();
    words.into_iter().collect()
}

/// Every string that starts with `prefix` sorts at or after it and before this bound,
/// byte by byte (U+10FFFF is the largest character; no word contains it).
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The search word whose range drives a count or a page (the longest: the fewest
/// matches, as a rule), and the others.
pub fn split_driving(words: &[String]) -> Option<(&String, Vec<&String>)> {
    let driving = words.iter().max_by_key(|w| w.chars().count())?;
    let others = words
        .iter()
        .filter(|w| !std::ptr::eq(*w, driving))
        .collect();
    Some((driving, others))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_their_distinct_lower_cased_words() {
        assert_eq!(
            document_words(&["Ada Lovelace", "ada.lovelace.7@Example.com"]),
            ["7", "ada", "example", "com", "lovelace"]
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        assert_eq!(document_words(&["Zoë  O'Neil"]), ["neil", "o", "zoë"]);
        assert!(document_words(&["", "--"]).is_empty());
    }

    #[test]
    fn a_prefix_bounds_exactly_the_words_it_starts() {
        let end = prefix_end("love");
        for word in ["love", "lovelace", "lovezzz", "love\u{FFFF}"] {
            assert!(word >= "love" && word < end.as_str(), "{word}");
        }
        for word in ["lov", "lovf", "lova"] {
            assert!(!(word >= "love" && word < end.as_str()), "{word}");
        }
    }
}
