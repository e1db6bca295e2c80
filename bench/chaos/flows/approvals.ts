// Approvals under chaos: another system asks to ban a member (HTTP API); an approver clicks Approve on the card.
// Expected: the card closed as approved, the member banned once, one DM, and the moderation log's request, approval
// and execution each written once.
import { randomUUID } from 'node:crypto';
import { buttonOf, clickIfShown, count, emptyTally, patience, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

const RECLICK_AFTER_MS = 45_000;

interface ApprovalRun {
  caseId: string;
  targetId: string;
  accepted: boolean;
  outcome?: string;
  /** What the approver was told by the latest clicks, for the post-mortem of a run that did not end. */
  clickAnswers: string[];
}

export function approvalsFlow(context: ChaosContext): ChaosFlow {
  const { world, db, people, channels } = context;
  const { driver } = world.sandbox;
  const runs: ApprovalRun[] = [];
  const cardFor = (caseId: string) =>
    (driver.channelMessages(channels.approvals) as unknown as MessageLike[]).find((message) => message.embeds?.[0]?.footer?.text === `Case ${caseId}`);

  return {
    name: 'approvals',
    async run() {
      const targetId = driver.createUser({ username: `target-${randomUUID().slice(0, 6)}` }).id;
      driver.addMember(world.guildId, targetId);
      const run: ApprovalRun = { caseId: `chaos-${randomUUID().slice(0, 8)}`, targetId, accepted: false, clickAnswers: [] };
      runs.push(run);
      const asked = await context.api('POST', '/approvals', {
        case_id: run.caseId,
        action: { type: 'ban' },
        target_id: targetId,
        reason: 'Chaos: posted scam links',
        requester_id: people.requester,
      });
      run.accepted = asked.status === 202 || asked.status === 200 || asked.status === 409;
      if (!run.accepted) return;
      const card = await waitUntil(() => {
        const shown = cardFor(run.caseId);
        return shown && buttonOf(shown, 'Approve') ? shown : undefined;
      }, PATIENTLY);
      if (!card) return;
      while (Date.now() < patience.until) {
        const click = clickIfShown(world, people.approver, channels.approvals, card.id, buttonOf(card, 'Approve')!);
        if (!click) break;
        const approved = await waitUntil(() => (/: approved$/.test(cardFor(run.caseId)?.embeds?.[0]?.title ?? '') ? true : undefined), RECLICK_AFTER_MS);
        const answers = (click.responses() as unknown as MessageLike[]).map((message) => message.content ?? message.embeds?.[0]?.title ?? '(card)');
        run.clickAnswers = [...run.clickAnswers, answers.join(' / ') || '(no answer)'].slice(-3);
        if (approved) break;
      }
      run.outcome = cardFor(run.caseId)?.embeds?.[0]?.title;
    },
    async verify() {
      const tally = emptyTally('approvals', runs.length);
      for (const run of runs) {
        if (!run.accepted) {
          tally.problems.push(`approval ${run.caseId}: the API never accepted the request`);
          tally.lost++;
          continue;
        }
        const banned = driver.bans(world.guildId).filter((ban) => ban.userId === run.targetId).length;
        const dms = driver.dmsFor(run.targetId).filter((message) => String((message as { content?: string }).content ?? '').startsWith('You were banned')).length;
        const kinds = (await db.query<{ kind: string }>('select kind from moderation_log where case_id = $1', [run.caseId])).map((row) => row.kind);
        const steps = ['request', 'approve', 'execution'].map((kind) => kinds.filter((logged) => logged === kind).length);
        count(tally, 'bans', banned);
        count(tally, 'ban DMs', dms);
        count(tally, 'log entries', kinds.length);
        const approved = /: approved$/.test(cardFor(run.caseId)?.embeds?.[0]?.title ?? '');
        if (approved && banned === 1 && dms === 1 && steps.every((times) => times === 1)) {
          tally.completed++;
          continue;
        }
        if (dms > 1 || steps.some((times) => times > 1)) tally.duplicated++;
        else if (!approved || banned === 0) tally.lost++;
        else tally.halfDone++;
        tally.problems.push(`approval ${run.caseId}: card "${cardFor(run.caseId)?.embeds?.[0]?.title}", banned ${banned}, DMs ${dms}, log ${kinds.join(',')}, Approve answers ${JSON.stringify(run.clickAnswers)}`);
      }
      return tally;
    },
  };
}
