// The public creator page: a subscriber joins a paid tier with their card, tips into a
// jar and unlocks its reward, and the creator then finds them in the dashboard's
// members table.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, verifiedAccount, textOf, seriousViolations,
  PASSWORD, login, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("a fan joins a tier from the public page, tips with a reward and appears in the dashboard", async () => {
  const stamp = Date.now();
  const { ownerEmail, owner, creator } = await creatorAccount("bakery", "Sourdough Stories");
  const [tierStatus] = await api("POST", "/audience/tiers", {
    token: owner,
    body: { name: "Crumb Club", price_monthly: 5, benefits: ["Weekly recipes"] },
  });
  assert.equal(tierStatus, 201);
  const [jarStatus, jar] = await api("POST", "/audience/tips/jars", {
    token: owner,
    body: {
      name: "New oven", goal: 100, suggested_amounts: [5, 10, 25],
      rewards: [{ threshold: 10, reward: "A loaf named after you" }],
    },
  });
  assert.equal(jarStatus, 201, JSON.stringify(jar));

  const fanEmail = `fan-${stamp}@example.com`;
  await verifiedAccount(fanEmail, PASSWORD, "Marie Crumb");
  const [cardStatus] = await api("POST", "/payment-methods", {
    token: await login(fanEmail), body: { payment_method_token: "tok_visa" },
  });
  assert.equal(cardStatus, 201);

  const { page, context, problems } = await newPage();
  await signInAs(page, { email: fanEmail, password: PASSWORD });
  await page.goto(`${BASE_URL}/c/${creator.handle}`);
  await waitForHydration(page);
  await page.getByTestId("public-tiers").waitFor();
  assert.match(await textOf(page, "public-tiers"), /Crumb Club[\s\S]*5\.00 \/ month[\s\S]*Weekly recipes/);
  assert.match(await textOf(page, "jars"), /Join a tier above to send a tip/);

  await page.getByRole("button", { name: /Join monthly/ }).click();
  await page.getByTestId("visitor").filter({ hasText: "You are a member: Crumb Club." }).waitFor();

  await page.getByLabel("Amount").fill("12");
  await page.getByLabel("Message (optional)").fill("For the oven!");
  await page.getByRole("button", { name: "Send tip" }).click();
  await page.getByTestId("tip-receipt").waitFor();
  assert.match(await textOf(page, "tip-receipt"), /12\.00 sent: [A-Z]{3} 10\.80 to the creator, [A-Z]{3} 1\.20 platform fee/);
  assert.match(await textOf(page, "reward"), /A loaf named after you/);
  await page.getByTestId("jar-raised").filter({ hasText: "12 %" }).waitFor();
  assert.match(await textOf(page, "jar-raised"), /12\.00 of [A-Z]{3} 100\.00 raised · 12 % · 1 tips/);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();

  // The creator sees the new paying member.
  const dash = await newPage();
  await signInAs(dash.page, { email: ownerEmail, password: PASSWORD });
  await dash.page.goto(BASE_URL + "/dashboard");
  await waitForHydration(dash.page);
  await dash.page.getByTestId("members").waitFor();
  assert.match(await textOf(dash.page, "members"), /Marie Crumb[\s\S]*Crumb Club/);
  assert.match(await textOf(dash.page, "stat-mrr"), /5\.00/);

  // The tip jars page shows the progress and makes a new jar.
  await dash.page.getByRole("link", { name: "Tip jars" }).click();
  await dash.page.getByTestId("jars").waitFor();
  await waitForHydration(dash.page);
  assert.match(await textOf(dash.page, "jars"), /New oven[\s\S]*12\.00 of [A-Z]{3} 100\.00 raised · 12 % · 1 tips[\s\S]*A loaf named after you/);
  await dash.page.getByLabel("Name", { exact: true }).fill("Flour fund");
  await dash.page.getByLabel("Goal").fill("50");
  await dash.page.getByLabel("Rewards").fill("twenty: A signed apron");
  await dash.page.getByRole("button", { name: "Create tip jar" }).click();
  await dash.page.getByRole("alert").filter({ hasText: "is not an amount" }).waitFor();
  await dash.page.getByLabel("Rewards").fill("20: A signed apron");
  await dash.page.getByRole("button", { name: "Create tip jar" }).click();
  await dash.page.getByTestId("jars").filter({ hasText: "Flour fund" }).waitFor();
  assert.match(await textOf(dash.page, "jars"), /Flour fund[\s\S]*0\.00 of [A-Z]{3} 50\.00 raised · 0 % · 0 tips[\s\S]*A signed apron/);
  assert.deepEqual(await seriousViolations(dash.page), []);
  await dash.context.close();
});
