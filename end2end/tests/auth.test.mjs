// Accounts in the browser: register, confirm the email from the mailbox, sign out,
// a wrong password keeps what was typed, sign in again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedBrowser, BASE_URL, waitForHydration, mailedLink, textOf } from "./helpers.mjs";

const PASSWORD = "a long enough password";

const newPage = sharedBrowser();


test("register, confirm the email, sign out and sign in again", async () => {
  const { page, context, problems } = await newPage();
  const email = `reader-${Date.now()}@example.com`;

  await page.goto(BASE_URL + "/register");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Reader One");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("I accept the terms of service").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/account");
  await page.getByTestId("account-email").waitFor();
  assert.equal(await textOf(page, "account-email"), email);
  assert.match(await textOf(page, "account-email-status"), /Not verified/);
  assert.equal(await textOf(page, "signed-in-as"), "Reader One");

  await page.goto(mailedLink(email, "/verify-email"));
  await waitForHydration(page);
  await page.getByRole("button", { name: "Confirm my email" }).click();
  await page.getByText("Your email address is confirmed.").waitFor();
  await page.goto(BASE_URL + "/account");
  await page.getByTestId("account-email-status").waitFor();
  assert.match(await textOf(page, "account-email-status"), /Verified/);
  assert.deepEqual(problems, []);

  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(BASE_URL + "/");
  await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
  await page.goto(BASE_URL + "/account");
  await page.getByText("You are not signed in").waitFor();

  // A wrong password: a clear error, and what was typed is still there.
  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /email or password is incorrect/);
  assert.equal(await page.getByLabel("Email").inputValue(), email);

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.getByTestId("account-email").waitFor();
  assert.equal(await textOf(page, "account-email"), email);
  await context.close();
});

test("registration errors are listed and nothing typed is lost", async () => {
  const { page, context } = await newPage();
  await page.goto(BASE_URL + "/register");
  await waitForHydration(page);
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Display name").fill("Some One");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /password: must be between 10 and 128 characters/);
  assert.match(text, /accept terms: the terms must be accepted/);
  assert.equal(await page.getByLabel("Display name").inputValue(), "Some One");
  await context.close();
});

test("a forgotten password is reset from the emailed link", async () => {
  const email = `forgetful-${Date.now()}@example.com`;
  const registered = await fetch(BASE_URL + "/api/v1/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD, display_name: "Forgetful", accept_terms: true }),
  });
  assert.equal(registered.status, 201);

  const { page, context, problems } = await newPage();
  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL("**/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await page.getByText("If an account exists for that address").waitFor();

  await page.goto(mailedLink(email, "/reset-password"));
  await waitForHydration(page);
  await page.getByLabel("New password").fill("my new long password");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await page.getByText("Your password is changed").waitFor();

  await page.goto(BASE_URL + "/signin");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("my new long password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/account");
  await page.getByTestId("account-email").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
