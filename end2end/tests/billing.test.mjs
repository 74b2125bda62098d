// Billing in the browser: add a test card, subscribe, see the invoice, preview and
// change plan, redeem a gift card, cancel at period end.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  sharedBrowser, BASE_URL, waitForHydration, api, superadminToken, verifiedAccount, textOf,
} from "./helpers.mjs";

const PASSWORD = "a long enough password";

const newPage = sharedBrowser();

test("subscribe with a test card, change plan, redeem a gift card, cancel", async () => {
  const stamp = Date.now();
  const root = await superadminToken();
  const plan = (name, price) => ({
    name, price, currency: "USD", billing_cycle: "monthly", max_profiles: 2,
    max_concurrent_streams: 2, max_devices: 4, max_quality: "HD", has_downloads: true,
    has_ads: false, trial_days: 0, is_active: true,
  });
  const basic = `Basic ${stamp}`;
  const premium = `Premium ${stamp}`;
  for (const [name, price] of [[basic, 9.99], [premium, 19.99]]) {
    const [status] = await api("POST", "/admin/plans", { token: root, body: plan(name, price) });
    assert.equal(status, 201);
  }
  const [giftStatus, gift] = await api("POST", "/admin/gift-cards", {
    token: root, body: { quantity: 1, initial_value: 10, currency: "USD" },
  });
  assert.equal(giftStatus, 201);
  const email = `payer-${stamp}@example.com`;
  await verifiedAccount(email, PASSWORD, "Payer");

  const { page, context, problems } = await newPage();
  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.getByRole("link", { name: "Billing" }).click();
  await page.waitForURL("**/account/billing");
  await page.getByText("No saved cards yet.").waitFor();
  await waitForHydration(page);

  // A sandbox test card.
  await page.getByLabel("Test card").selectOption("tok_visa");
  await page.getByLabel("Name on card").fill("Payer One");
  await page.getByRole("button", { name: "Add card" }).click();
  await page.getByTestId("payment-method").waitFor();
  assert.match(await textOf(page, "payment-method"), /visa ending 4242/);

  // Subscribe to the basic plan.
  await page.getByText(basic, { exact: true }).click();
  await page.getByRole("button", { name: "Subscribe" }).click();
  await page.getByTestId("subscription-plan").waitFor();
  assert.equal(await textOf(page, "subscription-plan"), basic);
  assert.equal(await textOf(page, "subscription-status"), "active");
  assert.match(await textOf(page, "subscription-summary"), /Next charge: USD 9\.99/);

  // Its invoice, printable.
  await page.getByTestId("invoice-row").waitFor();
  await page.getByTestId("invoice-row").getByRole("link").click();
  await page.waitForURL("**/account/invoices/**");
  await page.getByTestId("invoice-status").waitFor();
  assert.equal(await textOf(page, "invoice-status"), "paid");
  assert.match(await textOf(page, "invoice-line"), /USD 9\.99/);
  await page.getByRole("button", { name: "Print" }).waitFor();
  await page.goBack();
  await page.getByTestId("subscription-plan").waitFor();
  await waitForHydration(page);

  // Preview, then change to premium: about the price difference is due now.
  await page.getByRole("button", { name: `Preview ${premium}` }).click();
  await page.getByTestId("change-preview").waitFor();
  assert.match(await textOf(page, "amount-due-now"), /^USD (9\.99|10\.00)$/);
  await page.getByRole("button", { name: "Confirm change" }).click();
  await page.getByText(premium, { exact: true }).first().waitFor();
  await page.waitForFunction(
    (name) => document.querySelector("[data-testid=subscription-plan]")?.textContent === name,
    premium,
  );

  // A gift card goes to the balance.
  await page.getByLabel("Gift card code").fill(gift.data[0].code);
  await page.getByRole("button", { name: "Redeem" }).click();
  await page.getByTestId("gift-card-result").waitFor();
  assert.match(await textOf(page, "gift-card-result"), /USD 10\.00 was added/);
  await page.waitForFunction(() => document.querySelector("[data-testid=balance]")?.textContent.includes("USD 10.00"));

  // Cancel at period end, after confirming.
  await page.getByText("Cancel subscription…").click();
  await page.getByRole("button", { name: "Yes, cancel at period end" }).click();
  await page.waitForFunction(() =>
    document.querySelector("[data-testid=subscription-summary]")?.textContent.startsWith("Canceled:"),
  );
  await page.getByRole("button", { name: "Resume subscription" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
