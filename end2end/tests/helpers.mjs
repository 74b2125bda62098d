// Shared Playwright setup: Debian's Chromium through playwright-core, with the flags this
// workplace requires, and a page that records console errors and failed requests.
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

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

/// One Chromium for the tests of the calling file: launched before them, closed after.
/// Returns `newPage()`, which opens a fresh context on it (see `openPage`).
export function sharedBrowser() {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => openPage(browser);
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
  // Leaving a page cancels what it is still loading (a lazy route fetches its wasm chunks
  // after a client-side navigation), which would show up above as aborted requests: a
  // test reloads or goes elsewhere only once the page has settled, as a reader would.
  const inflight = new Set();
  page.on("request", (req) => inflight.add(req));
  page.on("requestfinished", (req) => inflight.delete(req));
  page.on("requestfailed", (req) => inflight.delete(req));
  settledPages.set(page, inflight);
  for (const name of ["goto", "reload"]) {
    const leave = page[name].bind(page);
    page[name] = async (...args) => {
      await settled(page);
      return leave(...args);
    };
  }
  return { context, page, problems };
}

const settledPages = new WeakMap();

/// Resolves once none of the page's requests has been in flight for a quarter of a second
/// (or after ten seconds, leaving the test's own assertions to say what is missing).
/// Playwright's "networkidle" cannot be used after a client-side navigation: it was
/// already reached by the document, so it resolves at once. A page not opened by
/// `openPage` has no count of its requests and gets "networkidle" all the same.
async function settled(page) {
  const inflight = settledPages.get(page);
  if (!inflight) return page.waitForLoadState("networkidle");
  const deadline = Date.now() + 10_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (inflight.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 250) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/// Resolves once the wasm bundle has hydrated the page (frontend/src/lib.rs marks
/// <body data-hydrated="true"> right after hydration).
export async function waitForHydration(page) {
  await page.waitForSelector("body[data-hydrated=true]", { state: "attached", timeout: 15_000 });
}

/// The trimmed text of the first element with `data-testid=testId`.
export async function textOf(page, testId) {
  return (await page.getByTestId(testId).first().textContent()).trim();
}

/// The link to `path` in the newest mail to `email` that has one, on this server.
export function mailedLink(email, path) {
  const mailbox = process.env.E2E_MAILBOX_DIR;
  assert.ok(mailbox, "E2E_MAILBOX_DIR is set by scripts/test");
  const pattern = new RegExp(`https?://\\S+${path}\\?token=\\S+`);
  const link = readdirSync(mailbox)
    .sort()
    .map((name) => readFileSync(join(mailbox, name), "utf8"))
    .filter((text) => text.includes(`\r\nTo: ${email}\r\n`))
    .map((text) => text.match(pattern)?.[0])
    .filter(Boolean)
    .at(-1);
  assert.ok(link, `a mail to ${email} with a ${path} link`);
  const url = new URL(link);
  return BASE_URL + url.pathname + url.search;
}

/// Calls the REST API; returns [status, parsed body or null].
export async function api(method, path, { token, body } = {}) {
  const response = await fetch(BASE_URL + "/api/v1" + path, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return [response.status, text ? JSON.parse(text) : null];
}

/// A fresh superadmin made with the server's own CLI (scripts/test says where the
/// binary and its database are): its email, password and an access token.
export async function superadmin() {
  const email = `root-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = "root password for tests";
  execFileSync(process.env.E2E_SERVER_BIN, ["create-admin", "--email", email, "--password", password], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
  });
  const [status, tokens] = await api("POST", "/auth/login", { body: { email, password } });
  assert.equal(status, 200);
  return { email, password, token: tokens.access_token };
}

/// A fresh superadmin's access token.
export async function superadminToken() {
  return (await superadmin()).token;
}

/// A registered account whose email is confirmed through the mailed link.
export async function verifiedAccount(email, password, displayName) {
  const [status] = await api("POST", "/auth/register", {
    body: { email, password, display_name: displayName, accept_terms: true },
  });
  assert.equal(status, 201);
  const token = new URL(mailedLink(email, "/verify-email")).searchParams.get("token");
  const [verified] = await api("POST", "/auth/verify-email", { body: { token } });
  assert.equal(verified, 204);
}

/// The password of the accounts the creator-side tests make.
export const PASSWORD = "a long enough password";

/// An access token for an account made with `PASSWORD`.
export async function login(email) {
  const [status, tokens] = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
  assert.equal(status, 200);
  return tokens.access_token;
}

/// A verified account that creates a creator: { ownerEmail, owner (token), creator,
/// free (its default tier) }. `name` prefixes the emails and handle, unique per run.
export async function creatorAccount(name, creatorName) {
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const ownerEmail = `${name}-${stamp}@example.com`;
  await verifiedAccount(ownerEmail, PASSWORD, "Studio Owner");
  // Roles are read per request, so the same token works on the creator's side at once
  // (and the suite stays under the per-address sign-in limit).
  const owner = await login(ownerEmail);
  const [created, creator] = await api("POST", "/creators", {
    token: owner,
    body: { name: creatorName, handle: `${name}${stamp}`.slice(0, 30), bio: `About ${creatorName}` },
  });
  assert.equal(created, 201, JSON.stringify(creator));
  const [, tiers] = await api("GET", "/audience/tiers", { token: owner });
  return { ownerEmail, owner, creator, free: tiers.tiers.find((t) => t.is_default) };
}

/// A verified account named `displayName` that joins `tierId` of the creator; its token.
export async function memberOf(creator, tierId, email, displayName) {
  await verifiedAccount(email, PASSWORD, displayName);
  const token = await login(email);
  const [joined, body] = await api("POST", "/memberships", {
    token, body: { creator_id: creator.id, tier_id: tierId },
  });
  assert.equal(joined, 201, JSON.stringify(body));
  return token;
}

/// Signs `account` ({email, password}) in through the sign-in page and waits until the
/// account page has finished loading.
export async function signInAs(page, account) {
  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  // Let the account page finish loading: leaving earlier aborts its requests.
  await page.getByRole("heading", { name: "Your account", level: 1 }).waitFor();
  await settled(page);
}

/// Serious or critical axe-core violations on the page as it stands. axe is evaluated
/// through the DevTools protocol, so the page's CSP does not apply.
export async function seriousViolations(page) {
  await page.evaluate(axeSource());
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${page.url()}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

let axe;
function axeSource() {
  axe ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axe;
}
