import type { ScenarioContact, ScenarioResult, ScenarioTurn } from '@parley/schemas/scenario';

export type { ExpectedMessage } from '@parley/schemas/scenario';

/** A conformance scenario: a flow, a scripted conversation and what the bot must say and store. */
export interface Scenario {
  name: string;
  about?: string;
  contact?: ScenarioContact;
  /** When the conversation starts (ISO 8601), for flows that read relative dates; now when absent. */
  startAt?: string;
  flow: unknown;
  /** The model that answers the flow's AI blocks: a model script, or the path of one (from this file). */
  modelScript?: unknown;
  turns: ScenarioTurn[];
  result: ScenarioResult;
}

/** Checks the shape of a parsed scenario file; returns a reason when it is not one. */
export function scenarioProblem(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return 'the file is not a JSON object';
  const scenario = input as Partial<Scenario>;
  if (scenario.flow === undefined) return 'it has no "flow"';
  if (!Array.isArray(scenario.turns)) return 'it has no "turns" list';
  for (const [index, turn] of scenario.turns.entries()) {
    if (typeof turn?.user !== 'string' || !Array.isArray(turn.bot)) {
      return `turn ${index + 1} needs "user" (text) and "bot" (a list)`;
    }
  }
  if (typeof scenario.result?.status !== 'string') return 'it has no "result" with a "status"';
  const script = scenario.modelScript;
  if (script !== undefined && typeof script !== 'string' && (script === null || typeof script !== 'object')) {
    return '"modelScript" must be a model script (an object with "replies") or the path of its file';
  }
  if (scenario.startAt !== undefined && Number.isNaN(Date.parse(scenario.startAt))) {
    return '"startAt" is not a date and time such as 2025-07-09T10:00:00Z';
  }
  return null;
}
