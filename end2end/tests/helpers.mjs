// Shared Playwright setup: Debian's Chromium through playwright-core, with the flags this
// workplace requires, and a page that records console errors and failed requests.
import { chromium } from "playwright-core";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: FLAGS,
  });
}

/// A new page whose console errors, page errors and failed requests are collected in
/// `problems`, so a test can insist there were none.
export async function openPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("requestfailed", (req) =>
    problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText ?? ""}`),
  );
  return { context, page, problems };
}

/// Resolves once the wasm bundle has hydrated the page (frontend/src/lib.rs marks
/// <body data-hydrated="true"> right after hydration).
export async function waitForHydration(page) {
  await page.waitForSelector("body[data-hydrated=true]", { state: "attached", timeout: 15_000 });
}
