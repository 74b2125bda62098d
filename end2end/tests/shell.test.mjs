// The app shell: server-rendered pages, hydration and the server-function round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, BASE_URL, waitForHydration } from "./helpers.mjs";

const newPage = sharedBrowser();

test("the home page is server-rendered with a title and one h1", async () => {
  const { page, context, problems } = await newPage();
  const response = await page.goto(BASE_URL + "/");
  assert.equal(response.status(), 200);
  assert.match(await page.title(), /Encora/);
  assert.equal(await page.locator("h1").count(), 1);
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  await waitForHydration(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test("hydration works: the status button calls a server function and shows its answer", async () => {
  const { page, context, problems } = await newPage();
  await page.goto(BASE_URL + "/");
  await waitForHydration(page);
  const result = page.getByTestId("status-result");
  assert.equal((await result.textContent()).trim(), "Not checked yet.");
  // Only a hydrated page reacts: the SSR HTML alone has no click handler.
  await page.getByRole("button", { name: "Check status" }).click();
  await page.waitForFunction(
    () => document.querySelector("[data-testid=status-result]")?.textContent.includes("Server ok"),
    null,
    { timeout: 10_000 },
  );
  assert.match(await result.textContent(), /Server ok · database (sqlite|postgres) · version \d+\.\d+\.\d+/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("navigation reaches the three areas, each with its own title", async () => {
  const { page, context, problems } = await newPage();
  await page.goto(BASE_URL + "/");
  await waitForHydration(page);
  for (const [label, title] of [
    ["Account", /Your account/],
    ["Creator dashboard", /Creator dashboard/],
    ["Admin console", /Admin console/],
  ]) {
    await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: label }).click();
    await page.waitForFunction((t) => new RegExp(t).test(document.title), title.source);
    assert.equal(await page.locator("h1").count(), 1);
  }
  // A visitor's console pages are refused (401), which browsers log as an error.
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("each area's code loads when it is first shown, not with the home page", async () => {
  const { page, context, problems } = await newPage();
  const wasm = [];
  page.on("request", (req) => {
    const name = new URL(req.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) wasm.push(name);
  });
  await page.goto(BASE_URL + "/");
  await waitForHydration(page);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(wasm, ["encora.wasm"], "the home page downloads the main bundle only");
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Creator dashboard" }).click();
  await page.waitForFunction(() => /Creator dashboard/.test(document.title));
  assert.ok(wasm.length > 1, `the dashboard's own wasm was fetched on the way (${wasm.join(", ")})`);
  // The area's code came with its first page: another page of it fetches none, and shows
  // the page its link names (the area picks it from the path the router matched).
  await page.waitForLoadState("networkidle");
  const fetched = wasm.length;
  await page.getByRole("navigation", { name: "Creator dashboard" }).getByRole("link", { name: "Tiers" }).click();
  await page.waitForFunction(() => /^Tiers/.test(document.title));
  assert.equal(await page.locator("h1").textContent(), "Tiers");
  assert.equal(wasm.length, fetched, `no more wasm within the area (${wasm.slice(fetched).join(", ")})`);
  // Opened directly, the page names its code in a preload link, fetched beside the bundle.
  const html = await (await fetch(BASE_URL + "/dashboard")).text();
  const preloaded = [...html.matchAll(/<link [^>]*href="\/pkg\/([^"]+\.wasm)"/g)].map((m) => m[1]);
  assert.ok(
    preloaded.some((name) => name !== "encora.wasm"),
    `the dashboard's HTML preloads its wasm (${preloaded.join(", ")})`,
  );
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});

test("an unknown page is a styled 404", async () => {
  const { page, context } = await newPage();
  const response = await page.goto(BASE_URL + "/no/such/page");
  assert.equal(response.status(), 404);
  assert.equal(await page.locator("h1").textContent(), "Page not found");
  await context.close();
});

test("a broken wasm bundle is caught as a failure", async () => {
  // Proves the console check above can fail: serve garbage instead of the wasm.
  const { page, context, problems } = await newPage();
  await page.route("**/*.wasm", (route) =>
    route.fulfill({ status: 200, contentType: "application/wasm", body: "not wasm" }),
  );
  await page.goto(BASE_URL + "/");
  await page.waitForTimeout(1500);
  assert.ok(problems.length > 0, "a wasm load failure must surface as a console or page error");
  await context.close();
});
