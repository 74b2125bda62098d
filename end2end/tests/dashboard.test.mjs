// The creator dashboard in the browser: members who joined through the API appear
// with their tiers, the figures add up, and the filters, search and segment chips narrow
// the members table.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, verifiedAccount, textOf, seriousViolations,
  PASSWORD, login, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("members who joined appear in the creator's dashboard, filtered and searched", async () => {
  const stamp = Date.now();
  const { ownerEmail, owner, creator, free } = await creatorAccount("owl", "Night Owl Radio");
  const [tierStatus, tier] = await api("POST", "/audience/tiers", {
    token: owner,
    body: { name: "Night Shift", price_monthly: 7.5, benefits: ["Bonus episodes"] },
  });
  assert.equal(tierStatus, 201, JSON.stringify(tier));

  // Two free members and one paying member.
  for (const name of ["Ada", "Grace"]) {
    await memberOf(creator, free.id, `${name.toLowerCase()}-${stamp}@example.com`, `${name} Listener`);
  }
  const payerEmail = `linus-${stamp}@example.com`;
  await verifiedAccount(payerEmail, PASSWORD, "Linus Patron");
  const payer = await login(payerEmail);
  const [, card] = await api("POST", "/payment-methods", { token: payer, body: { payment_method_token: "tok_visa" } });
  const [paid] = await api("POST", "/memberships", {
    token: payer,
    body: { creator_id: creator.id, tier_id: tier.id, billing_cycle: "monthly", payment_method_id: card.id },
  });
  assert.equal(paid, 201);

  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard");
  await waitForHydration(page);
  await page.getByTestId("members").waitFor();
  assert.match(await textOf(page, "creator"), /Night Owl Radio/);
  assert.equal(await textOf(page, "stat-members"), "3");
  assert.match(await textOf(page, "stat-mrr"), /7\.50/);
  assert.match(await textOf(page, "tiers"), /Night Shift/);
  assert.match(await textOf(page, "members-total"), /^3 members/);
  assert.match(await textOf(page, "members"), /Linus Patron/);
  assert.match(await textOf(page, "engagement-summary"), /^0 interactions · 0 active members/);

  // Search as you type, then a status filter.
  await page.getByLabel("Search members").fill("grace");
  await page.getByTestId("members").filter({ hasNotText: "Ada" }).waitFor();
  assert.match(await textOf(page, "members-total"), /^1 members/);
  // The CSV download carries the same filter, authenticated by the session cookie.
  const csvHref = await page.getByTestId("members-csv").getAttribute("href");
  assert.match(csvHref, /[?&]q=grace(&|$)/);
  const csv = await page.request.get(BASE_URL + csvHref);
  assert.equal(csv.status(), 200);
  const rows = (await csv.text()).trim().split("\n");
  assert.equal(rows.length, 2, rows.join("\n"));
  assert.match(rows[1], /grace/i);
  await page.getByLabel("Search members").fill("");
  await page.getByLabel("Status").selectOption("churned");
  await page.getByTestId("no-members").waitFor();
  await page.getByLabel("Status").selectOption("");
  await page.getByTestId("members").waitFor();

  // Everyone is inactive until they interact: the chip narrows to them, the other to none.
  await page.getByRole("button", { name: "Superfans 0" }).click();
  await page.getByTestId("no-members").waitFor();
  await page.getByRole("button", { name: "Inactive 3" }).click();
  await page.getByTestId("members").waitFor();

  assert.deepEqual(await seriousViolations(page), []);

  // A member's page: tier, subscription (the card only by its last digits), notes.
  await page.getByRole("link", { name: "Linus Patron" }).click();
  await page.getByTestId("member-subscription").waitFor();
  await waitForHydration(page);
  assert.equal(await textOf(page, "member-name"), "Linus Patron");
  assert.match(await textOf(page, "member-tier"), /Night Shift · 7\.5/);
  assert.match(await textOf(page, "member-subscription"), /monthly[\s\S]*card ending 4242/);
  await page.getByTestId("no-activity").waitFor();
  await page.getByLabel("Notes for the team").fill("Asked about yearly billing");
  await page.getByLabel("Tags").fill("vip, early supporter");
  await page.getByRole("button", { name: "Save notes" }).click();
  await page.getByTestId("member-tags").waitFor();
  assert.match(await textOf(page, "member-tags"), /vip[\s\S]*early supporter/);
  assert.equal(await page.getByLabel("Notes for the team").inputValue(), "Asked about yearly billing");
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
