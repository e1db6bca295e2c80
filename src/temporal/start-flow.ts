// The one way adapters and activities start a flow or join the one already running. A flow's workflow id says
// what it is about, so "start" on a running id means "that flow exists": the caller gets its handle either way
// and learns which happened. Every flow is tagged for the Web UI with its kind, server and members, carries a
// summary in words (the Web UI's "Summary"), and is counted.
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
  type WorkflowIdReusePolicy,
  type WorkflowSignalWithStartOptions,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { SignalDefinition, Workflow } from '@temporalio/common';
import type { Counter } from 'prom-client';
import { flowSearchAttributes } from '../../workflows/shared/search-attributes.js';

export interface FlowStart<W extends Workflow> {
  workflowId: string;
  args: Parameters<W>;
  /** The FlowKind search attribute (and metric label): which feature's flow this is. */
  kind: string;
  guildId?: string;
  /** Who, what, where, in one line of words: "alice reviews suggestions from a message in #maintenance". */
  summary: string;
  /** The members the flow is about or waits for (the DiscordUserId search attribute). */
  memberIds?: readonly string[];
  /** `REJECT_DUPLICATE` keeps a finished flow's id from running again, so its result stays the answer. */
  idReusePolicy?: WorkflowIdReusePolicy;
}

export interface StartedFlow<W extends Workflow> {
  handle: WorkflowHandle<W>;
  /** False when a flow with this id was already running (or, with REJECT_DUPLICATE, had run). */
  started: boolean;
}

/**
 * How long a workflow task may run before the server gives it to another worker (Temporal's default is 10 s). A
 * worker that dies holding a task leaves its flow stalled this long; a task of Steward's runs in milliseconds, and
 * a long local activity keeps its task alive by heartbeat (at 80 % of this), so 5 s halves the stall and costs
 * nothing else.
 */
export const FLOW_TASK_TIMEOUT = '5 seconds';

export class FlowStarter {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    private readonly startedCounter?: Counter<'flow'>,
  ) {}

  async start<W extends Workflow>(workflow: W, flow: FlowStart<W>): Promise<StartedFlow<W>> {
    try {
      const handle = await this.client.workflow.start(workflow, {
        taskQueue: this.taskQueue,
        workflowId: flow.workflowId,
        args: flow.args,
        ...(flow.idReusePolicy ? { workflowIdReusePolicy: flow.idReusePolicy } : {}),
        workflowTaskTimeout: FLOW_TASK_TIMEOUT,
        typedSearchAttributes: flowSearchAttributes(flow),
        staticSummary: flow.summary,
      } as unknown as WorkflowStartOptions<W>);
      this.startedCounter?.inc({ flow: flow.kind });
      return { handle, started: true };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return { handle: this.client.workflow.getHandle<W>(flow.workflowId), started: false };
    }
  }

  /** Signal-with-start: the signal reaches the running flow, or a new one started by the same call. */
  async signal<W extends Workflow, A extends unknown[]>(
    /** The workflow function, or its type name where importing the function would make an import cycle. */
    workflow: W | string,
    flow: Omit<FlowStart<W>, 'idReusePolicy'>,
    signal: SignalDefinition<A>,
    signalArgs: A,
  ): Promise<WorkflowHandle<W>> {
    return this.client.workflow.signalWithStart(workflow, {
      taskQueue: this.taskQueue,
      workflowId: flow.workflowId,
      args: flow.args,
      signal,
      signalArgs,
      workflowTaskTimeout: FLOW_TASK_TIMEOUT,
      typedSearchAttributes: flowSearchAttributes(flow),
      staticSummary: flow.summary,
    } as unknown as WorkflowSignalWithStartOptions<A> & WorkflowStartOptions<W>);
  }
}
