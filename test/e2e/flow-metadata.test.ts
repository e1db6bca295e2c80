// What an operator reads in the Temporal Web UI: every flow's summary in words (who, what, where), its current
// details following its state, and the DiscordUserId search attribute that lists everything pending for one member.
// Read back the way the Web UI reads them: the client's describe, the workflow's metadata query, a visibility list.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import { approvalWorkflowId } from '../../workflows/approvals/messages.js';
import { reviewWorkflowId } from '../../workflows/records/custom-id.js';
import { callGuildApi } from '../support/guild-api.js';
import { button, cardTitled, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { scriptFlipperSuggestions, startReviewStack, type ReviewStack } from '../support/review-stack.js';
import { testClient } from '../support/temporal.js';

let stack: ReviewStack;
let client: Client;

beforeAll(async () => {
  stack = await startReviewStack();
  client = await testClient();
});

afterAll(async () => {
  await client?.connection.close();
  await stack?.stop();
});

/** The details the Web UI shows under the summary: the SDK's built-in metadata query. */
async function currentDetails(workflowId: string): Promise<string> {
  const metadata = await client.workflow.getHandle(workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** Running flows tagged with this member, as an operator filters them in the Web UI. */
async function pendingFor(memberId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `DiscordUserId = '${memberId}' AND ExecutionStatus = 'Running'` })) ids.push(execution.workflowId);
  return ids;
}

test('a record review says who reviews what where, follows the steps, and is listed under the reviewer', async () => {
  const { world } = stack;
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: 'maintenance' }).id;
  const fault = String(driver.sendMessage(world.memberId, channelId, { content: 'the left flipper on machine 2 is weak' }).id);
  const fixed = String(driver.sendMessage(world.memberId, channelId, { content: 'replaced the coil sleeve, flipper is strong again' }).id);
  await scriptFlipperSuggestions(stack, { fault, fixed });
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', fixed);
  const first = await driver.waitFor(() => (command.responses() as unknown as Card[]).find((card) => card.embeds?.some((embed) => /^Item 1 of 2/.test(embed.title))), 20_000);
  const workflowId = reviewWorkflowId(world.guildId, fixed);

  const description = await client.workflow.getHandle(workflowId).describe();
  expect(await description.staticSummary()).toBe('Alice reviews suggested records from a message in #maintenance');
  // A worker that dies holding the flow's task stalls it 5 s, not Temporal's default 10 s.
  expect(description.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds?.toString()).toBe('5');
  expect(await eventually(async () => ((await currentDetails(workflowId)).startsWith('Step 1 of 2') ? currentDetails(workflowId) : undefined))).toMatch(
    /^Step 1 of 2, waiting for Alice since \d\d:\d\d UTC\n0 of 2 decided$/,
  );
  expect(await eventually(async () => ((await pendingFor(world.memberId)).includes(workflowId) ? true : undefined))).toBe(true);

  driver.clickButton(world.memberId, channelId, first.id, button(first, 'Create'));
  await cardTitled(world, first.id, /^Item 2 of 2/);
  expect(await eventually(async () => ((await currentDetails(workflowId)).startsWith('Step 2 of 2') ? currentDetails(workflowId) : undefined))).toMatch(/\n1 of 2 decided$/);

  const second = await cardTitled(world, first.id, /^Item 2 of 2/);
  driver.clickButton(world.memberId, channelId, first.id, button(second, 'Create'));
  await client.workflow.getHandle(workflowId).result();
  expect(await currentDetails(workflowId).catch(() => 'closed')).toMatch(/^(Finished: completed, 2 created and 0 skipped|closed)$/);
  // Closed, it leaves the member's pending list.
  expect(await eventually(async () => (!(await pendingFor(world.memberId)).includes(workflowId) ? true : undefined))).toBe(true);
}, 60_000);

test('an approval asked through the API names the action, the target and who asked, and waits under both members', async () => {
  const { world, db, steward } = stack;
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: PermissionFlagsBits.BanMembers | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages });
  const approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n }).id;
  const approver = driver.createUser({ username: 'dave' }).id;
  driver.addMember(world.guildId, approver, { roles: [approvers] });
  const requester = driver.createUser({ username: 'carol' }).id;
  const target = driver.createUser({ username: 'spammer' }).id;
  driver.addMember(world.guildId, requester);
  driver.addMember(world.guildId, target);
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'operator test'));
  const api = { httpUrl: steward.httpUrl, guildId: world.guildId, token };
  expect((await callGuildApi(api, 'PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approvers] })).status).toBe(200);
  const caseId = `metadata-${randomUUID().slice(0, 8)}`;
  const asked = await callGuildApi(api, 'POST', '/approvals', { case_id: caseId, action: { type: 'ban' }, target_id: target, reason: 'Scam links', requester_id: requester });
  expect(asked.status).toBe(202);
  const workflowId = approvalWorkflowId(world.guildId, caseId);

  expect(await (await client.workflow.getHandle(workflowId).describe()).staticSummary()).toBe(`Approval ${caseId}: Ban of member ${target}, asked by member ${requester}`);
  expect(await eventually(async () => ((await currentDetails(workflowId)).includes('waiting for approvers') ? currentDetails(workflowId) : undefined))).toMatch(
    new RegExp(`^Ban of member ${target}: waiting for approvers since \\d\\d:\\d\\d UTC\\n0 approvals so far; expires at .+ UTC if nobody decides$`),
  );
  for (const member of [target, requester]) expect(await eventually(async () => ((await pendingFor(member)).includes(workflowId) ? true : undefined))).toBe(true);
}, 60_000);
