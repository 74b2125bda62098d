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

const LINE_HEIGHT: f64 = 180.0;
const AXIS: f64 = 44.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 12.0;

/// One line of a [`LineChart`]: its name, for the legend, and its points.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Bar>,
}

/// Line colours in order, each readable on the light and the dark background.
const COLOURS: [&str; 6] = [
    "text-indigo-600 dark:text-indigo-400",
    "text-emerald-600 dark:text-emerald-400",
    "text-amber-600 dark:text-amber-300",
    "text-rose-600 dark:text-rose-400",
    "text-sky-600 dark:text-sky-400",
    "text-violet-600 dark:text-violet-400",
];

/// Lines through evenly spaced points from zero to the largest value, with the value
/// scale on the left, the first series' labels below, and a legend when there is more
/// than one line.
#[component]
pub fn LineChart(#[prop(into)] title: String, series: Vec<Series>) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| &s.points)
        .map(|p| p.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let count = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
    let step = (WIDTH - AXIS - 16.0) / (count.max(2) - 1) as f64;
    let plot = LINE_HEIGHT - TOP - BOTTOM;
    let at = move |i: usize, value: f64| (AXIS + i as f64 * step, TOP + plot * (1.0 - value / max));
    let label = title.clone();
    let top = if max.fract() == 0.0 {
        format!("{max}")
    } else {
        format!("{max:.2}")
    };
    let labels: Vec<String> = series
        .first()
        .map(|s| s.points.iter().map(|p| p.label.clone()).collect())
        .unwrap_or_default();
    let legend = (series.len() > 1).then(|| {
        let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
        view! {
            <ul class="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
                {names.into_iter().enumerate().map(|(i, name)| view! {
                    <li class="flex items-center gap-1">
                        <span aria-hidden="true" class=format!("inline-block h-2 w-3 rounded-sm bg-current {}", COLOURS[i % COLOURS.len()])></span>
                        {name}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <svg role="img" aria-label=label viewBox=format!("0 0 {WIDTH} {LINE_HEIGHT}") class="w-full max-w-xl">
            <title>{title}</title>
            <text x=AXIS - 6.0 y=TOP + 4.0 text-anchor="end" class="fill-slate-700 text-xs dark:fill-slate-300">{top}</text>
            <text x=AXIS - 6.0 y=TOP + plot + 4.0 text-anchor="end" class="fill-slate-700 text-xs dark:fill-slate-300">"0"</text>
            <line x1=AXIS y1=TOP + plot x2=WIDTH - 8.0 y2=TOP + plot class="stroke-slate-300 dark:stroke-slate-700"/>
            {labels.into_iter().enumerate().map(|(i, label)| view! {
                <text x=at(i, 0.0).0 y=LINE_HEIGHT - 6.0 text-anchor="middle" class="fill-slate-700 text-[10px] dark:fill-slate-300">
                    {label.split(' ').next().unwrap_or_default().to_string()}
                </text>
            }).collect_view()}
            {series.into_iter().enumerate().map(|(n, line)| {
                let points = line
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let (x, y) = at(i, p.value);
                        format!("{x:.1},{y:.1}")
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let name = line.name.clone();
                view! {
                    <g class=COLOURS[n % COLOURS.len()]>
                        <polyline points=points fill="none" stroke="currentColor" stroke-width="2"/>
                        {line.points.into_iter().enumerate().map(|(i, p)| {
                            let (x, y) = at(i, p.value);
                            view! {
                                <g>
                                    <title>{format!("{name}, {}: {}", p.label, p.text)}</title>
                                    <circle cx=x cy=y r="4" fill="currentColor"/>
                                </g>
                            }
                        }).collect_view()}
                    </g>
                }
            }).collect_view()}
        </svg>
        {legend}
    }
}
