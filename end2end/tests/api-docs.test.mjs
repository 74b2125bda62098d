// The interactive API reference at /api/docs: Swagger UI served by the app itself, so
// it works with no internet, reading the live /api/v1/openapi.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, BASE_URL } from "./helpers.mjs";

const newPage = sharedBrowser();

test("the API reference renders every operation from this server's own files", async () => {
  const { page, context, problems } = await newPage();
  const origins = new Set();
  page.on("request", (req) => origins.add(new URL(req.url()).origin));
  const response = await page.goto(BASE_URL + "/api/docs");
  assert.equal(response.status(), 200);
  assert.equal(await page.title(), "Encora API reference");
  await page.waitForSelector(".opblock", { timeout: 15_000 });

  const doc = await (await fetch(BASE_URL + "/api/v1/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  const documented = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  assert.equal(await page.locator(".opblock").count(), documented);
  assert.ok(await page.getByText("/auth/login", { exact: true }).isVisible());

  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /script-src 'self';/, "no inline or third-party scripts");
  assert.deepEqual([...origins], [new URL(BASE_URL).origin], "nothing fetched from elsewhere");
  assert.deepEqual(problems, []);
  await context.close();
});
