//! A person's picture, or their initials on a tinted disc when they have none. The name
//! is always next to it on the page, so the image itself is decorative (`alt=""`).

use leptos::prelude::*;

/// Up to two initials of `name`: "Ada Lovelace" → "AL".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[component]
pub fn Avatar(
    url: Option<String>,
    #[prop(into)] name: String,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let size = if large {
        "h-12 w-12 text-base"
    } else {
        "h-8 w-8 text-xs"
    };
    match url {
        Some(url) => view! {
            <img src=url alt="" class=format!("{size} shrink-0 rounded-full object-cover")/>
        }
        .into_any(),
        None => view! {
            <span aria-hidden="true" class=format!("{size} inline-flex shrink-0 items-center justify-center rounded-full bg-indigo-100 font-semibold text-indigo-800 dark:bg-indigo-900 dark:text-indigo-100")>
                {initials(&name)}
            </span>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials("ada lovelace byron"), "AL");
        assert_eq!(initials("Cher"), "C");
        assert_eq!(initials("  "), "");
    }
}
