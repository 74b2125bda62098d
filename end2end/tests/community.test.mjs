// The community page: a member's post reported by another member waits in the
// moderation queue; the creator removes it with a note, the post disappears for
// members, and the queue and its count empty.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, api, textOf, seriousViolations,
  PASSWORD, login, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

test("the creator removes a reported post from the moderation queue", async () => {
  const stamp = Date.now();
  const { ownerEmail, creator, free } = await creatorAccount("garden", "Garden Club");
  const members = {};
  for (const name of ["Poster", "Critic"]) {
    members[name] = await memberOf(creator, free.id, `${name.toLowerCase()}-${stamp}@example.com`, `${name} Gardener`);
  }
  const [posted, post] = await api("POST", "/audience/community/posts", {
    token: members.Poster,
    body: { creator_id: creator.id, title: "Buy my seeds", body: "Cheap #tomatoes at my shop" },
  });
  assert.equal(posted, 201, JSON.stringify(post));
  const [reported] = await api("POST", "/audience/community/reports", {
    token: members.Critic, body: { post_id: post.id, reason: "Advertising" },
  });
  assert.equal(reported, 201);

  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard/community");
  await waitForHydration(page);
  await page.getByTestId("reports").waitFor();
  assert.equal(await textOf(page, "community-members"), "2");
  assert.equal(await textOf(page, "community-posts"), "1");
  assert.equal(await textOf(page, "community-pending"), "1");
  assert.match(await textOf(page, "topics"), /tomatoes/);
  assert.match(await textOf(page, "reports"), /Buy my seeds[\s\S]*Advertising/);

  await page.getByRole("button", { name: "Remove…" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove this post" });
  await dialog.getByLabel("Note for the team (optional)").fill("Selling is not allowed here");
  await dialog.getByRole("button", { name: "Remove post" }).click();
  await page.getByTestId("no-reports").waitFor();
  await page.getByTestId("community-pending").filter({ hasText: "0" }).waitFor();

  // Resolved reports keep the decision and the note.
  await page.getByLabel("Show").selectOption("resolved");
  await page.getByTestId("reports").waitFor();
  assert.match(await textOf(page, "reports"), /removed[\s\S]*Selling is not allowed here/);

  // Members no longer see the post.
  const [, visible] = await api("GET", `/audience/community/posts?creator_id=${creator.id}`, { token: members.Critic });
  assert.deepEqual(visible.data.map((p) => p.id), []);

  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
