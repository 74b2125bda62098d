//! The words of a community post: what auto-moderation matches against a creator's
//! blocked words, and the topics that trending counts.

use std::collections::BTreeSet;

/// Short, frequent English words that say nothing about a topic.
const STOPWORDS: &[&str] = &[
    "about", "after", "again", "also", "been", "before", "being", "could", "does", "doing", "down",
    "each", "even", "every", "from", "have", "having", "here", "into", "just", "know", "like",
    "made", "make", "many", "more", "most", "much", "must", "only", "other", "over", "really",
    "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these",
    "they", "thing", "things", "think", "this", "those", "through", "very", "want", "well", "were",
    "what", "when", "where", "which", "while", "will", "with", "would", "your", "yours",
];

/// Topic terms are at least this long (hashtags of any length count).
const MIN_TERM_CHARS: usize = 4;
/// At most this many topics are counted per post or comment.
const MAX_TOPICS: usize = 20;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// The lower-cased words of `text`, in order.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !is_word_char(c))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A blocked word written as a whole word (any case) in `text`, if there is one.
pub fn blocked_word_in<'a>(text: &str, blocked: &'a [String]) -> Option<&'a str> {
    let present: BTreeSet<String> = words(text).collect();
    blocked
        .iter()
        .find(|word| present.contains(word.as_str()))
        .map(String::as_str)
}

/// A word as a creator lists it: trimmed, lower-cased, one word.
pub fn normalize_blocked(word: &str) -> Option<String> {
    let word = word.trim().to_lowercase();
    (!word.is_empty() && word.chars().count() <= 50 && word.chars().all(is_word_char))
        .then_some(word)
}

/// The topics `text` mentions, each once: its hashtags (without `#`) and its terms of
/// at least four letters that are not stopwords.
pub fn topics_of(text: &str) -> Vec<String> {
    let mut topics = BTreeSet::new();
    for tag in text.split('#').skip(1) {
        let tag: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !tag.is_empty() && tag.chars().count() <= 50 {
            topics.insert(tag.to_lowercase());
        }
    }
    for word in words(text) {
        let is_term = word.chars().count() >= MIN_TERM_CHARS
            && word.chars().count() <= 50
            && word.chars().all(char::is_alphabetic)
            && !STOPWORDS.contains(&word.as_str());
        if is_term {
            topics.insert(word);
        }
    }
    topics.into_iter().take(MAX_TOPICS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_words_match_whole_words_in_any_case() {
        let blocked = vec!["spam".to_string(), "scam".to_string()];
        assert_eq!(blocked_word_in("Total SCAM, avoid", &blocked), Some("scam"));
        assert_eq!(blocked_word_in("spammer and scampi", &blocked), None);
        assert_eq!(blocked_word_in("", &blocked), None);
    }

    #[test]
    fn blocked_words_are_single_words() {
        assert_eq!(normalize_blocked("  Spam "), Some("spam".into()));
        assert_eq!(normalize_blocked("two words"), None);
        assert_eq!(normalize_blocked(""), None);
    }

    #[test]
    fn topics_are_hashtags_and_meaningful_terms_once_each() {
        let topics =
            topics_of("Loved the #Latest_Video! The recipe, the RECIPE... what a 2024 recipe");
        assert_eq!(topics, vec!["latest_video", "loved", "recipe"]);
    }
}
