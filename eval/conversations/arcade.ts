// Eval conversations from an arcade's maintenance channel: pinball and amusement machines.
import { arcade, conversation, type EvalConversation } from '../dataset.js';

export const arcadeConversations: EvalConversation[] = [
  conversation({
    name: 'resolved-by-reply',
    covers: 'a fault fixed later, the fix replying to the report: a problem report with a log entry child',
    subjects: arcade,
    lines: [
      { by: 'ana', text: 'Medieval Madness left flipper is dead, every ball drains down the left side' },
      { by: 'chloe', text: 'on it after lunch', replyTo: 1 },
      {
        by: 'ben',
        text: 'coil sleeve was worn through, replaced the sleeve and the left flipper on MM is strong again',
        replyTo: 1,
        after: 90,
      },
    ],
    target: 3,
    expected: [
      { type: 'problem_report', subject: 'mm', sources: [1], children: [{ type: 'log_entry', sources: [3] }] },
    ],
  }),
  conversation({
    name: 'unresolved-fault',
    covers: 'an open fault among small talk: one problem report, nothing for the chatter',
    subjects: arcade,
    lines: [
      { by: 'dev', text: 'morning all' },
      { by: 'ana', text: 'morning! anyone seen the key for the TZ backbox?' },
      { by: 'farid', text: "Twilight Zone clock is stuck at 11:30 again, doesn't move during the game" },
    ],
    target: 3,
    expected: [{ type: 'problem_report', subject: 'tz', sources: [3] }],
  }),
  conversation({
    name: 'shorthand-round',
    covers: 'machine abbreviations; an open fault and a fault fixed on the spot in one message; "ok" is nothing',
    subjects: arcade,
    lines: [{ by: 'ben', text: 'round done. AFM L flip weak again, MM trough jam cleared, TZ ok' }],
    target: 1,
    expected: [
      { type: 'problem_report', subject: 'afm', sources: [1] },
      { type: 'log_entry', subject: 'mm', sources: [1] },
    ],
  }),
  conversation({
    name: 'several-machines',
    covers: 'work on three machines in one message: three log entries, one per machine',
    subjects: arcade,
    lines: [
      {
        by: 'chloe',
        text:
          'Weekly clean: waxed the playfields on Addams Family and Twilight Zone, and adjusted the tilt bob on ' +
          'Medieval Madness.',
      },
    ],
    target: 1,
    expected: [
      { type: 'log_entry', subject: 'afm', sources: [1] },
      { type: 'log_entry', subject: 'tz', sources: [1] },
      { type: 'log_entry', subject: 'mm', sources: [1] },
    ],
  }),
  conversation({
    name: 'reply-chain-several-authors',
    covers: 'a reply chain across three members: the report is Ben\'s, the fix is Farid\'s',
    subjects: arcade,
    lines: [
      { by: 'ben', text: 'Claw Machine is eating coins again, no credit given' },
      { by: 'ana', text: 'did you check the coin mech?', replyTo: 1 },
      { by: 'ben', text: "yes, it's jammed with a bent token", replyTo: 2 },
      { by: 'farid', text: 'cleared the jam and bent the flap back, it takes coins fine now', replyTo: 3, after: 40 },
    ],
    target: 4,
    expected: [
      { type: 'problem_report', subject: 'claw', sources: [1], children: [{ type: 'log_entry', sources: [4] }] },
    ],
  }),
  conversation({
    name: 'fix-without-reply-link',
    covers: 'a fix that names the fault in shorthand, two hours later, without replying to the report',
    subjects: arcade,
    lines: [
      { by: 'ana', text: 'Twilight Zone left ramp diverter is stuck open, balls never reach the mini playfield' },
      { by: 'dev', text: 'who has the key for the back office?' },
      { by: 'chloe', text: 'me, coming' },
      { by: 'ben', text: 'TZ diverter: bent link straightened, works again', after: 120 },
    ],
    target: 4,
    expected: [
      { type: 'problem_report', subject: 'tz', sources: [1], children: [{ type: 'log_entry', sources: [4] }] },
    ],
  }),
  conversation({
    name: 'german-shorthand',
    covers: 'a report and its fix in German chat shorthand, with an emoji',
    subjects: arcade,
    lines: [
      { by: 'emil', text: 'Air Hockey: Gebläse tot, kein Luftstrom 😕' },
      { by: 'farid', text: 'Sicherung war raus, getauscht → läuft wieder 👍', replyTo: 1, after: 30 },
    ],
    target: 2,
    expected: [
      { type: 'problem_report', subject: 'hockey', sources: [1], children: [{ type: 'log_entry', sources: [2] }] },
    ],
  }),
  conversation({
    name: 'part-ordered-then-arrived',
    covers: 'a part requested, ordered, then arrived two days later: a part request with one update per piece of news',
    subjects: arcade,
    lines: [
      { by: 'ana', text: "Can someone order a spare flipper coil (FL-11630) for Addams Family? We're out of them." },
      { by: 'dev', text: 'ordered from Marco, tracking says Thursday', replyTo: 1 },
      { by: 'chloe', text: '👍' },
      { by: 'dev', text: "The FL-11630 coil arrived, it's in the parts drawer", replyTo: 1, after: 2_880 },
    ],
    target: 4,
    expected: [
      {
        type: 'part_request',
        subject: 'afm',
        sources: [1],
        children: [
          { type: 'part_request_update', sources: [2] },
          { type: 'part_request_update', sources: [4] },
        ],
      },
    ],
  }),
];
