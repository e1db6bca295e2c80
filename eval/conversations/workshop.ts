// Eval conversations from a makerspace workshop: laser cutter, lathe, printers and the shared compressor.
import { conversation, workshop, type EvalConversation } from '../dataset.js';

export const workshopConversations: EvalConversation[] = [
  conversation({
    name: 'thread-resolved',
    covers: 'a thread opened by a fault report and closed by the fix, the machine named in the starter',
    subjects: workshop,
    lines: [
      { by: 'chloe', text: "Laser Cutter isn't firing, the tube only glows faintly" },
      { by: 'dev', text: "checked the chiller, the water pump wasn't running" },
      { by: 'chloe', text: "it's on the power strip someone switched off to charge a phone 🙄" },
      { by: 'dev', text: 'Pump back on, ran a test cut on 3mm ply, all good. Taped over the strip switch.' },
    ],
    target: 4,
    thread: { name: 'Laser not firing', starter: 1 },
    expected: [
      { type: 'problem_report', subject: 'laser', sources: [1], children: [{ type: 'log_entry', sources: [4] }] },
    ],
  }),
  conversation({
    name: 'to-do-list',
    covers: 'a to-do list: its fault and its needed part are records, its planned chores are not',
    subjects: workshop,
    lines: [
      {
        by: 'farid',
        text:
          'Todo for Saturday:\n- order a new 93" blade for the Bandsaw\n- Laser Cutter: clean lens and mirrors\n' +
          '- Compressor is leaking oil at the drain valve\n- sweep + empty dust bins',
      },
    ],
    target: 1,
    expected: [
      { type: 'part_request', subject: 'bandsaw', sources: [1] },
      { type: 'problem_report', subject: 'compressor', sources: [1] },
    ],
  }),
  conversation({
    name: 'done-and-planned',
    covers: 'work done and work planned in one message: only the work done is a log entry',
    subjects: workshop,
    lines: [
      {
        by: 'dev',
        text: "Replaced both tyres on the Bandsaw this morning. Next week I'll realign the Lathe tailstock.",
      },
    ],
    target: 1,
    expected: [{ type: 'log_entry', subject: 'bandsaw', sources: [1] }],
  }),
  conversation({
    name: 'planned-only',
    covers: 'planned maintenance with no fault: nothing yet',
    subjects: workshop,
    lines: [{ by: 'emil', text: "Tomorrow I'll grease the CNC Router rails and check the belt tension" }],
    target: 1,
    expected: [],
  }),
  conversation({
    name: 'thread-part-update',
    covers: 'a part request in a thread starter, the target an update under it by another member',
    subjects: workshop,
    lines: [
      { by: 'emil', text: 'Time to order new spindle bearings for the CNC Router before the big job in June' },
      { by: 'farid', text: 'found a pair of 7002s for €48' },
      { by: 'farid', text: 'Ordered 2x 7002 bearings, tracking says Tuesday', after: 25 },
    ],
    target: 3,
    thread: { name: 'CNC spindle bearings', starter: 1 },
    expected: [
      {
        type: 'part_request',
        subject: 'cnc',
        sources: [1],
        children: [{ type: 'part_request_update', sources: [3] }],
      },
    ],
  }),
  conversation({
    name: 'several-authors-no-replies',
    covers: 'two members report a fault, a third fixes it hours later without replying to either',
    subjects: workshop,
    lines: [
      { by: 'ana', text: 'Compressor tripped the breaker twice today' },
      { by: 'ben', text: 'same here yesterday, it trips right at startup' },
      {
        by: 'chloe',
        text: 'Replaced the start capacitor on the Compressor, no trips since. The old one was bulging.',
        after: 200,
      },
    ],
    target: 3,
    expected: [
      {
        type: 'problem_report',
        subject: 'compressor',
        sources: [1],
        children: [{ type: 'log_entry', sources: [3] }],
      },
    ],
  }),
  conversation({
    name: 'fault-with-photo',
    covers: 'a fault report with a photo attached',
    subjects: workshop,
    lines: [
      {
        by: 'dev',
        text: 'Laser Cutter chiller is leaking again, puddle under the table',
        files: ['chiller-puddle.jpg'],
      },
    ],
    target: 1,
    expected: [{ type: 'problem_report', subject: 'laser', sources: [1] }],
  }),
  conversation({
    name: 'similar-subjects',
    covers: 'two printers with near-identical names; an earlier fault that does not involve the target',
    subjects: workshop,
    lines: [
      { by: 'ana', text: '#2 still has the clogged nozzle btw' },
      { by: 'ben', text: 'Calibrated the bed on Prusa MK4 #1, first layer looks perfect now' },
    ],
    target: 2,
    expected: [{ type: 'log_entry', subject: 'prusa1', sources: [2] }],
  }),
  conversation({
    name: 'machine-not-in-catalogue',
    covers: 'a fault on something outside the catalogue: a log entry without subject, never an invented one',
    subjects: workshop,
    lines: [{ by: 'farid', text: 'The kettle in the break room is broken, it tripped the RCD again' }],
    target: 1,
    expected: [{ type: 'log_entry', subject: null, sources: [1] }],
  }),
  conversation({
    name: 'work-without-subject',
    covers: 'housekeeping done on no catalogue machine: a log entry without subject',
    subjects: workshop,
    lines: [{ by: 'chloe', text: 'Emptied the dust extractor bags and swept the whole shop' }],
    target: 1,
    expected: [{ type: 'log_entry', subject: null, sources: [1] }],
  }),
];
