// The tier editor: a new capped tier is added, a bad price is refused with the input
// kept, and a fixed price and hidden tier are saved (and leave the public page).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, textOf, seriousViolations,
  PASSWORD, creatorAccount,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("the creator adds a tier, then reprices and hides it", async () => {
  const { ownerEmail, owner, creator } = await creatorAccount("tiers", "Pottery Hour");
  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard/tiers");
  await waitForHydration(page);
  await page.getByTestId("tier-list").waitFor();

  await page.locator("#name-new").fill("Gold Circle");
  await page.locator("#monthly-new").fill("9.50");
  await page.locator("#benefits-new").fill("Monthly call\nEarly access");
  await page.locator("#limit-new").fill("2");
  await page.getByRole("button", { name: "Add tier" }).click();
  await page.getByTestId("tier-list").filter({ hasText: "Gold Circle" }).waitFor();
  assert.match(await textOf(page, "tier-list"), /Gold Circle · [A-Z]{3} 9\.50 a month · 0 members of 2/);

  const [, listed] = await api("GET", "/audience/tiers", { token: owner });
  const gold = listed.tiers.find((t) => t.name === "Gold Circle");
  assert.deepEqual(gold.benefits, ["Monthly call", "Early access"]);
  await page.getByText(/^Gold Circle ·/).click();
  const goldForm = page.locator("form", { has: page.locator(`#monthly-${gold.id}`) });
  await page.locator(`#monthly-${gold.id}`).fill("lots");
  await goldForm.getByRole("button", { name: "Save tier" }).click();
  await page.getByRole("alert").filter({ hasText: "must be an amount" }).waitFor();
  assert.equal(await page.locator(`#monthly-${gold.id}`).inputValue(), "lots", "the form keeps what was typed");

  await page.locator(`#monthly-${gold.id}`).fill("12");
  await page.locator(`#visible-${gold.id}`).uncheck();
  await goldForm.getByRole("button", { name: "Save tier" }).click();
  await page.getByTestId("tier-list").filter({ hasText: "12.00 a month" }).waitFor();
  assert.match(await textOf(page, "tier-list"), /Gold Circle · [A-Z]{3} 12\.00 a month[\s\S]*hidden/);
  const [, publicPage] = await api("GET", `/creators/${creator.id}`);
  assert.ok(!publicPage.tiers.some((t) => t.name === "Gold Circle"), "a hidden tier is not offered");

  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
