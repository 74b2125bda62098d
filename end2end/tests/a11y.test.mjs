// Accessibility: axe-core on every page a visitor can reach; serious or critical
// violations fail the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, BASE_URL, waitForHydration, seriousViolations } from "./helpers.mjs";

const PAGES = ["/", "/signin", "/register", "/forgot-password", "/account", "/account/profiles", "/account/devices", "/account/notifications", "/account/privacy", "/account/billing", "/dashboard", "/dashboard/campaigns", "/dashboard/tiers", "/dashboard/tips", "/dashboard/community", "/dashboard/announcements", "/dashboard/webhooks", "/c/no-such-creator", "/admin", "/no/such/page"];

const newPage = sharedBrowser();

for (const colorScheme of ["light", "dark"]) {
  test(`no serious accessibility violations (${colorScheme})`, async () => {
    const { page, context } = await newPage();
    await page.emulateMedia({ colorScheme });
    const found = [];
    for (const path of PAGES) {
      await page.goto(BASE_URL + path);
      await waitForHydration(page);
      found.push(...(await seriousViolations(page)));
    }
    assert.deepEqual(found, []);
    await context.close();
  });
}
