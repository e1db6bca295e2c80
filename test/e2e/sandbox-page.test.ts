// The sandbox's web page in a real browser (Debian's chromium, driven by playwright-core): a member writes in a
// channel, right-clicks a message for "Add to records", edits the first suggestion in its modal, creates the
// second, and sees the summary, each card changing live as the workflow moves on. Screenshots of each step are kept in
// test/artifacts/sandbox-page/.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { scriptFlipperSuggestions, startReviewStack, type ReviewStack } from '../support/review-stack.js';

const ARTIFACTS = 'test/artifacts/sandbox-page';
let stack: ReviewStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startReviewStack();
  // Root in CI has no user namespace for Chromium's sandbox; the page under test is our own, on loopback.
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const snap = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

/** The message (a list item) whose card has a title matching `title`. */
const card = (page: Page, title: RegExp) => page.locator('li.message', { has: page.locator('.embed h3', { hasText: title }) });

test('a member walks a whole record review in the browser: right-click, a card, a modal, a click, the summary', async () => {
  const { world, db } = stack;
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: 'maintenance' }).id;
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${world.sandbox.url}/_sandbox/?member=${world.memberId}`);
  await page.locator('body[data-ready="true"]').waitFor();
  await expectSelected(page, 'Alice');
  await page.getByRole('button', { name: '# maintenance' }).click();

  // Alice writes two messages through the composer.
  for (const text of ['the left flipper on machine 2 is weak', 'replaced the coil sleeve, flipper is strong again']) {
    await page.getByLabel('Message', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('li.message', { hasText: text }).waitFor();
  }
  const [fault, fixed] = driver.channelMessages(channelId).map((message) => String(message.id));
  await scriptFlipperSuggestions(stack, { fault: fault!, fixed: fixed! });
  await snap(page, '01-channel');

  // Right-click the second message: the Apps menu lists the message commands.
  await page.locator(`[data-message-id="${fixed}"]`).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Add to records' }).waitFor();
  await snap(page, '02-apps-menu');
  await page.getByRole('menuitem', { name: 'Add to records' }).click();
  const first = card(page, /^Item 1 of 2/);
  await first.waitFor({ timeout: 30_000 });
  await snap(page, '03-first-card');

  // Edit opens the modal, pre-filled; the edited description is what gets created.
  await first.getByRole('button', { name: 'Edit' }).click();
  const modal = page.getByRole('dialog');
  await modal.waitFor();
  const description = modal.getByLabel(/description/i);
  expect(await description.inputValue()).toBe('Left flipper weak on machine 2');
  await description.fill('Left flipper coil sleeve worn on machine 2');
  await snap(page, '04-edit-modal');
  await modal.getByRole('button', { name: 'Submit' }).click();

  // The same card, edited in place by the workflow, now shows the second suggestion.
  const second = card(page, /^Item 2 of 2/);
  await second.waitFor({ timeout: 30_000 });
  await snap(page, '05-second-card');
  await second.getByRole('button', { name: 'Create' }).click();
  const summary = page.locator('li.message .embed p', { hasText: /^Created 2, skipped 0/ });
  await summary.waitFor({ timeout: 30_000 });
  await snap(page, '06-summary');

  const records = await db.query<{ description: string }>(
    `select r.description from records r join record_sources s on s.record_id = r.id where s.message_id = any($1) order by r.created_at`,
    [[fault, fixed]],
  );
  expect(records.map((record) => record.description)).toEqual(['Left flipper coil sleeve worn on machine 2', 'Replaced the coil sleeve']);
  expect(pageErrors).toEqual([]);
}, 120_000);

async function expectSelected(page: Page, name: string): Promise<void> {
  expect(await page.getByLabel('Playing as').locator('option:checked').textContent()).toBe(name);
}
