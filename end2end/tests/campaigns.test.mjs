// The campaign composer: the audience is counted as the segment changes, the campaign
// is scheduled for now, the job sends it, and the member finds it in their
// notifications.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, textOf, seriousViolations,
  PASSWORD, login, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("the creator composes a campaign, sees its audience, and members receive it", async () => {
  const stamp = Date.now();
  const { ownerEmail, owner, creator, free } = await creatorAccount("chess", "Chess Corner");
  const members = [];
  for (const name of ["Magnus", "Judit"]) {
    members.push(await memberOf(creator, free.id, `${name.toLowerCase()}-${stamp}@example.com`, `${name} Player`));
  }

  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard/campaigns");
  await waitForHydration(page);
  await page.getByTestId("no-campaigns").waitFor();
  await page.getByTestId("audience-preview").filter({ hasText: "reaches 2 members" }).waitFor();
  await page.getByLabel("Segment").selectOption("churned");
  await page.getByTestId("audience-preview").filter({ hasText: "reaches 0 members" }).waitFor();
  await page.getByLabel("Segment").selectOption("all");
  await page.getByTestId("audience-preview").filter({ hasText: "reaches 2 members" }).waitFor();

  await page.getByLabel("Name", { exact: true }).fill("Spring tournament");
  await page.getByLabel("Subject").fill("Join our spring tournament");
  await page.getByLabel("Message").fill("Sign up before Friday.");
  await page.getByLabel("Discount (%)").fill("20");
  await page.getByRole("button", { name: "Schedule campaign" }).click();
  await page.getByTestId("campaigns").waitFor();
  assert.match(await textOf(page, "campaigns"), /Spring tournament[\s\S]*code OFFER-/);

  // The worker sends it within seconds; the list then shows it sent to both.
  let sent = false;
  for (let i = 0; i < 30 && !sent; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const [, list] = await api("GET", `/audience/engagement/campaigns?creator_id=${creator.id}`, { token: owner });
    sent = list.data[0].status === "sent";
  }
  assert.ok(sent, "the campaign was sent");
  await page.reload();
  await waitForHydration(page);
  await page.getByTestId("campaigns").waitFor();
  assert.match(await textOf(page, "campaigns"), /sent[\s\S]*2[\s\S]*2 \/ 2/);
  const [, inbox] = await api("GET", "/notifications", { token: members[0] });
  assert.ok(inbox.data.some((n) => /Join our spring tournament/.test(n.title)), JSON.stringify(inbox));

  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
