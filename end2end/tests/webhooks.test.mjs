// The webhooks page against a real receiver on loopback (the browser-test server runs
// with ENCORA_WEBHOOKS_ALLOW_PRIVATE=1): register an endpoint and see its secret once,
// send a test event and watch the log follow it, check the Standard Webhooks signature
// with that secret, replay the delivery, receive a real member_joined event, and remove
// the endpoint after a confirmation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import {
  sharedBrowser, signInAs, BASE_URL, waitForHydration, textOf, seriousViolations,
  PASSWORD, creatorAccount, memberOf,
} from "./helpers.mjs";

const newPage = sharedBrowser();

/// A receiver that answers 200 and keeps every request: { url, received, close }.
async function receiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/hooks`;
  const close = () => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  };
  return { url, received, close };
}

async function until(what, check) {
  for (let i = 0; i < 40; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`timed out waiting for ${what}`);
}

function verify(secret, { headers, body }) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signed = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  return headers["webhook-signature"] === `v1,${createHmac("sha256", key).update(signed).digest("base64")}`;
}

test("the creator registers an endpoint, tests it, replays a delivery and removes it", async (t) => {
  const hooks = await receiver();
  // Closed however the test ends, or the open server keeps the test process alive.
  t.after(hooks.close);
  const { ownerEmail, creator, free } = await creatorAccount("hooks", "Hook Studio");
  const { page, context, problems } = await newPage();
  await signInAs(page, { email: ownerEmail, password: PASSWORD });
  await page.goto(BASE_URL + "/dashboard/webhooks");
  await waitForHydration(page);
  await page.getByTestId("no-webhooks").waitFor();

  // No event ticked: refused, the URL kept.
  await page.getByLabel("URL").fill(hooks.url);
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await page.getByRole("alert").filter({ hasText: /event/ }).waitFor();
  assert.equal(await page.getByLabel("URL").inputValue(), hooks.url);

  await page.getByLabel("member joined").check();
  await page.getByRole("button", { name: "Register endpoint" }).click();
  await page.getByTestId("webhooks").waitFor();
  // The secret is whsec_ and the base64 of 24 random bytes.
  const secret = (await textOf(page, "webhook-secret")).match(/whsec_[A-Za-z0-9+/]{32}/)[0];
  assert.match(await textOf(page, "webhooks"), new RegExp(`${hooks.url}[\\s\\S]*enabled[\\s\\S]*member joined`));

  // A test event: the log shows it pending, then delivered, without a reload.
  await page.getByText("Delivery log", { exact: true }).click();
  await page.getByTestId("no-deliveries").waitFor();
  await page.getByRole("button", { name: "Send test event" }).click();
  await page.getByTestId("deliveries").filter({ hasText: /webhook\.test[\s\S]*succeeded[\s\S]*HTTP 200/ })
    .waitFor({ timeout: 30_000 });
  await until("the test event", () => hooks.received.length === 1);
  const [first] = hooks.received;
  assert.ok(verify(secret, first), `signature ${JSON.stringify(first.headers)}`);
  assert.equal(JSON.parse(first.body).type, "webhook.test");

  // Replay: the same webhook-id arrives again.
  await page.getByRole("button", { name: "Replay" }).click();
  await until("the replay", () => hooks.received.length === 2);
  assert.equal(hooks.received[1].headers["webhook-id"], first.headers["webhook-id"]);
  assert.ok(verify(secret, hooks.received[1]));

  // A real event from the platform: a member joins.
  await memberOf(creator, free.id, `joiner-${Date.now()}@example.com`, "New Joiner");
  await until("member_joined", () => hooks.received.some((r) => JSON.parse(r.body).type === "audience.member_joined"));

  assert.deepEqual(await seriousViolations(page), []);
  await page.getByRole("button", { name: "Remove…" }).click();
  await page.getByRole("button", { name: "Remove endpoint" }).click();
  await page.getByTestId("no-webhooks").waitFor();

  assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), []);
  await context.close();
});
