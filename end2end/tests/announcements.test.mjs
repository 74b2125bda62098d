// The announcement composer: a tier choice is required for "chosen tiers", a pinned
// announcement is published with an in-app notification, the list follows the job's
// delivery without a reload, and members find it in their notifications.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, textOf, seriousViolations,
  PASSWORD, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("the creator publishes a pinned announcement and members are notified", async () => {
  const stamp = Date.now();
  const { ownerEmail, creator, free } = await creatorAccount("news", "News Desk");
  const members = [];
  for (const name of ["Ida", "Olav"]) {
    members.push(await memberOf(creator, free.id, `${name.toLowerCase()}-${stamp}@example.com`, `${name} Reader`));
  }

  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard/announcements");
  await waitForHydration(page);
  await page.getByTestId("no-announcements").waitFor();

  await page.getByLabel("Title").fill("Studio move");
  await page.getByLabel("Message").fill("We stream from the new studio on Monday.");
  // Chosen tiers, but none ticked: refused, with what was typed kept.
  await page.getByLabel("Who sees it").selectOption("specific_tiers");
  await page.getByLabel("Pin it above the others").check();
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByRole("alert").filter({ hasText: /tier/ }).waitFor();
  assert.equal(await page.getByLabel("Title").inputValue(), "Studio move");

  await page.getByLabel(free.name, { exact: true }).check();
  await page.getByRole("button", { name: "Publish" }).click();
  await page.getByTestId("announcements").waitFor();
  const row = await textOf(page, "announcements");
  assert.match(row, /Studio move[\s\S]*pinned[\s\S]*We stream from the new studio/);
  assert.match(row, new RegExp(`Tiers: ${free.name}`));

  // The job notifies both members; the list refreshes itself until it is done.
  await page.getByTestId("delivery").filter({ hasText: "2 members · 2 in-app · 0 emails" })
    .waitFor({ timeout: 30_000 });
  for (const token of members) {
    const [, inbox] = await api("GET", "/notifications", { token });
    assert.ok(inbox.data.some((n) => /Studio move/.test(n.title)), JSON.stringify(inbox));
  }

  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
