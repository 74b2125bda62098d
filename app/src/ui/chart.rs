//! Charts drawn as SVG by the app. Each has a title for screen readers and a `<title>`
//! per mark (the browser shows it as a tooltip), and the numbers are also in a table
//! next to the chart, so nothing depends on seeing the bars.

use leptos::prelude::*;

/// One bar: its label, its value (drawn), and the value as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

const WIDTH: f64 = 480.0;
const ROW: f64 = 28.0;
const LABEL: f64 = 140.0;

/// Horizontal bars scaled to the largest value.
#[component]
pub fn BarChart(#[prop(into)] title: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as f64;
    let span = WIDTH - LABEL - 80.0;
    let label = title.clone();
    view! {
        <svg role="img" aria-label=label viewBox=format!("0 0 {WIDTH} {height}")
            class="w-full max-w-xl text-indigo-600 dark:text-indigo-400">
            <title>{title}</title>
            {bars.into_iter().enumerate().map(|(i, bar)| {
                let y = i as f64 * ROW;
                let length = if max > 0.0 { (bar.value / max) * span } else { 0.0 };
                view! {
                    <g>
                        <title>{format!("{}: {}", bar.label, bar.text)}</title>
                        <text x="0" y=y + 18.0 class="fill-slate-700 text-xs dark:fill-slate-300">{bar.label.clone()}</text>
                        <rect x=LABEL y=y + 6.0 width=length.max(1.0) height="16" rx="3" fill="currentColor"/>
                        <text x=LABEL + length + 6.0 y=y + 18.0 class="fill-slate-700 text-xs dark:fill-slate-300">{bar.text.clone()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
