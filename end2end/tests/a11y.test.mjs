// Accessibility: axe-core on every page a visitor can reach; serious or critical
// violations fail the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launch, openPage, BASE_URL, waitForHydration } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const PAGES = ["/", "/signin", "/register", "/forgot-password", "/account", "/account/profiles", "/account/devices", "/account/notifications", "/account/privacy", "/account/billing", "/dashboard", "/admin", "/no/such/page"];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const colorScheme of ["light", "dark"]) {
  test(`no serious accessibility violations (${colorScheme})`, async () => {
    const { page, context } = await openPage(browser);
    await page.emulateMedia({ colorScheme });
    const found = [];
    for (const path of PAGES) {
      await page.goto(BASE_URL + path);
      await waitForHydration(page);
      // Evaluated through the DevTools protocol, so the page's CSP does not apply.
      await page.evaluate(AXE_SOURCE);
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of results.violations.filter((v) => ["serious", "critical"].includes(v.impact))) {
        found.push(`${path}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
    assert.deepEqual(found, []);
    await context.close();
  });
}
