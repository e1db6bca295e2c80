// The lockdown's alert card in the moderators' channel: what was detected, what was done, when it lifts itself, and
// the buttons while it lasts; once lifted, what was restored and what moderators changed by hand was kept. Pure.
import { ButtonStyle, DISCORD_LIMITS, button, buttonRow, truncate, type CardMessage } from '../shared/discord-kit.js';
import { lockdownCustomIds } from './custom-id.js';
import type { LockdownStatus } from './messages.js';

const COLOR = { active: 0xed4245, lifted: 0x57f287 } as const;
const SHOWN_DETECTIONS = 5;

export interface AlertCardInput {
  guildId: string;
  status: LockdownStatus;
  /** What each level did, in words. */
  done: string[];
  /** What Discord would not let the lockdown change. */
  failed: string[];
  liftedBy?: string;
}

export function renderAlertCard({ guildId, status, done, failed, liftedBy }: AlertCardInput): CardMessage {
  const lifted = status.state === 'lifted';
  const { raiders } = status;
  const detections = status.detections.slice(-SHOWN_DETECTIONS).map((detection) => `<t:${Math.floor(detection.at / 1000)}:T> ${detection.summary}`);
  const hidden = status.detections.length - detections.length;
  const fields = [
    { name: 'Detected', value: truncate([...(hidden > 0 ? [`… and ${hidden} earlier`] : []), ...detections].join('\n') || '—', DISCORD_LIMITS.fieldValue) },
    { name: `Done (level ${status.level} of 4)`, value: truncate(done.map((line) => `• ${line}`).join('\n') || 'Taking a snapshot…', DISCORD_LIMITS.fieldValue) },
    ...(failed.length > 0 ? [{ name: 'Could not change', value: truncate(failed.join('\n'), DISCORD_LIMITS.fieldValue) }] : []),
    ...(status.joinersActedOn > 0 ? [{ name: 'Joined during the raid', value: `${status.joinersActedOn} member${status.joinersActedOn === 1 ? '' : 's'} acted on` }] : []),
    ...(status.banWave ? [{ name: 'Ban wave', value: `${status.banWave.members} members, waiting for approval (case ${status.banWave.caseId})` }] : []),
  ];
  if (lifted && status.report) {
    fields.push({ name: 'Restored', value: truncate(status.report.restored.join(', ') || 'Nothing needed restoring', DISCORD_LIMITS.fieldValue) });
    if (status.report.keptByHand.length > 0) fields.push({ name: 'Kept as moderators changed them', value: truncate(status.report.keptByHand.join('\n'), DISCORD_LIMITS.fieldValue) });
  }
  const description = lifted
    ? `Lifted${liftedBy ? ` by <@${liftedBy}>` : ' after a quiet spell'}.`
    : status.state === 'lifting'
      ? 'Lifting: restoring what the lockdown changed…'
      : `Lifts itself <t:${Math.floor(status.quietUntil / 1000)}:R> if nothing more is detected.`;
  return {
    content: '',
    embeds: [
      {
        title: lifted ? 'Lockdown lifted' : '🚨 Raid detected: server locked down',
        description,
        color: lifted ? COLOR.lifted : COLOR.active,
        fields,
        footer: { text: `Lockdown${status.caseNumber ? ` · case #${status.caseNumber}` : ''}` },
      },
    ],
    components:
      status.state === 'locked' || status.state === 'locking'
        ? [
            buttonRow([
              button('Lift', lockdownCustomIds.encode('lift', guildId), ButtonStyle.Success),
              button('Extend', lockdownCustomIds.encode('extend', guildId)),
              ...(status.level < 4 ? [button('Escalate', lockdownCustomIds.encode('escalate', guildId), ButtonStyle.Danger)] : []),
              ...(raiders > 0 && !status.banWave ? [button(`Ban ${raiders} raiders`, lockdownCustomIds.encode('bans', guildId), ButtonStyle.Danger)] : []),
            ]),
          ]
        : [],
  };
}
