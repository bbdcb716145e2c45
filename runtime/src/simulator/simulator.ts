import type { ModelGateway, ProviderConfig, UnscriptedRequest } from '@parley/ai';
import type {
  AiCallEffect,
  AiTurn,
  CompiledFlow,
  EngineEvent,
  OutboundMessage,
  TurnNote,
} from '@parley/engine';
import { answersOf, type Contact, type ContactState, initialState, nextTimerAt, step } from '@parley/engine';
import { type ConversationStatus, nodeDefinition, nodeName } from '@parley/schemas';
import { performHttpRequest } from '../http/index.js';
import type { ScriptLine } from './script-line.js';

export interface SimulatorOptions {
  contact?: Contact;
  allowPrivateHttp?: boolean;
  /** Start of the virtual clock (epoch ms). */
  startAt?: number;
  /** Answers the AI blocks' model calls (a scripted model); a flow with AI blocks needs one. */
  model?: ModelGateway;
}

export interface SimulationResult {
  status: 'none' | ConversationStatus;
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** What one script line caused: the bot's messages, and the notes an admin would see between them. */
export interface SimulatedTurn {
  messages: OutboundMessage[];
  notes: TurnNote[];
}

/** The simulation cannot go on (a model call nothing answers); the message names the block. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** The scripted model needs no address or key; the performer still takes a provider. */
const SCRIPTED_PROVIDER: ProviderConfig = {
  kind: 'openai_compatible',
  baseUrl: 'http://scripted-model.invalid',
};

/**
 * Why a flow cannot be simulated without a model script, or null when it has no AI block; `how`
 * says where the script goes (an option, a scenario field).
 */
export function needsModelScript(flow: CompiledFlow, how: string): string | null {
  const names = flow.document.nodes
    .filter((node) => nodeDefinition(node.type).category === 'ai')
    .map((node) => nodeName(node));
  if (names.length === 0) return null;
  const blocks = names.length === 1 ? 'an AI block' : 'AI blocks';
  const need = names.length === 1 ? 'needs' : 'need';
  return `The flow has ${blocks} (${names.join(', ')}), which ${need} a model to answer; ${how}.`;
}

/**
 * One contact talking to one flow, with the production engine, real http requests, a scripted
 * model for AI blocks and a virtual clock: timers fire when `#wait` moves the clock past them,
 * delays pass at once.
 */
export class Simulator {
  private state: ContactState;
  private now: number;
  private messageSeq = 0;
  /** What the contact and the bot said, per conversation: the transcript an AI block may read. */
  private readonly said: { conversationId: string; turn: AiTurn }[] = [];

  constructor(
    private readonly flow: CompiledFlow,
    private readonly options: SimulatorOptions = {},
  ) {
    this.state = initialState(options.contact ?? {});
    this.now = options.startAt ?? Date.now();
  }

  /** Plays one script line; resolves with the bot messages it caused, in order, and the notes. */
  async play(line: ScriptLine): Promise<SimulatedTurn> {
    if (line.kind === 'wait') return this.advance(line.minutes * 60_000);
    this.messageSeq += 1;
    const id = `sim-${this.messageSeq}`;
    const event: EngineEvent =
      line.kind === 'text'
        ? { type: 'message', id, text: line.text }
        : line.kind === 'media'
          ? { type: 'message', id, media: line.media }
          : { type: 'message', id, location: line.location };
    return this.apply(event);
  }

  result(): SimulationResult {
    const conversation = this.state.conversation;
    if (conversation === null) return { status: 'none', answers: {}, variables: {} };
    return {
      status: conversation.status,
      answers: answersOf(this.flow, conversation),
      variables: conversation.variables,
    };
  }

  private async advance(ms: number): Promise<SimulatedTurn> {
    const target = this.now + ms;
    const turn: SimulatedTurn = { messages: [], notes: [] };
    for (
      let at = nextTimerAt(this.flow, this.state);
      at !== null && at <= target;
      at = nextTimerAt(this.flow, this.state)
    ) {
      this.now = Math.max(this.now, at);
      const fired = await this.apply({ type: 'timer' });
      turn.notes.push(...fired.notes.map((note) => ({ ...note, after: note.after + turn.messages.length })));
      turn.messages.push(...fired.messages);
    }
    this.now = target;
    return turn;
  }

  /**
   * Steps the engine and carries out its http requests and model calls, feeding each result back at
   * the same instant.
   */
  private async apply(event: EngineEvent): Promise<SimulatedTurn> {
    const turn: SimulatedTurn = { messages: [], notes: [] };
    let next: EngineEvent | null = event;
    while (next !== null) {
      const result = step(this.flow, this.state, next, this.now, { inlineDelays: true });
      this.state = result.state;
      if (next.type === 'message' && next.text !== undefined && this.state.conversation !== null) {
        this.said.push({
          conversationId: this.state.conversation.id,
          turn: { role: 'user', text: next.text },
        });
      }
      for (const message of result.outbound) {
        if (message.conversationId !== null && message.text.trim() !== '') {
          this.said.push({
            conversationId: message.conversationId,
            turn: { role: 'assistant', text: message.text },
          });
        }
      }
      turn.notes.push(...result.notes.map((note) => ({ ...note, after: note.after + turn.messages.length })));
      turn.messages.push(...result.outbound);
      next = null;
      for (const effect of result.effects) {
        if (effect.type === 'http_request') {
          const outcome = await performHttpRequest(effect.request, {
            allowPrivate: this.options.allowPrivateHttp === true,
          });
          next = { type: 'http_result', requestId: effect.requestId, result: outcome };
        } else if (effect.type === 'ai_call') {
          next = { type: 'ai_result', requestId: effect.requestId, result: await this.callModel(effect) };
        }
      }
    }
    return turn;
  }

  private async callModel(effect: AiCallEffect) {
    const node = this.flow.index.nodeById.get(effect.nodeId);
    const block = node === undefined ? `block ${effect.nodeId}` : nodeName(node);
    const model = this.options.model;
    if (model === undefined)
      throw new SimulationError(`${block} calls a model, and no model script was given.`);
    // Loaded on the first model call: the model libraries would slow every `parley` command's start.
    const [{ performAiCall }, ai] = await Promise.all([
      import('../ai/perform-ai-call.js'),
      import('@parley/ai'),
    ]);
    // A gap in the script is the test's mistake, not a provider failure: stop instead of going on.
    let unscripted: UnscriptedRequest | null = null;
    const watched: ModelGateway = {
      generate: (request) =>
        model.generate(request).catch((error: unknown) => {
          if (error instanceof ai.UnscriptedRequest) unscripted = error;
          throw error;
        }),
    };
    const outcome = await performAiCall(effect.call, {
      gateway: watched,
      provider: SCRIPTED_PROVIDER,
      runTool: (request) =>
        performHttpRequest(request, { allowPrivate: this.options.allowPrivateHttp === true }),
      transcript: async (until) => this.transcript(effect, until),
    });
    if (unscripted !== null)
      throw new SimulationError(`${block}: ${(unscripted as UnscriptedRequest).message}`);
    return outcome;
  }

  /** The conversation so far, or up to `until` (how much of `said` an earlier call read). */
  private transcript(effect: AiCallEffect, until: number | undefined): { turns: AiTurn[]; until: number } {
    const end = until ?? this.said.length;
    return {
      turns: this.said
        .slice(0, end)
        .filter((line) => line.conversationId === effect.conversationId)
        .map((line) => line.turn),
      until: end,
    };
  }
}
