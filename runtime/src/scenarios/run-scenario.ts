import type { ModelGateway } from '@parley/ai';
import type { OutboundMessage } from '@parley/engine';
import { compileFlow } from '@parley/engine';
import { compareResult, compareTurn } from '@parley/schemas/scenario';
import { parseScriptLine } from '../simulator/script-line.js';
import { needsModelScript, type SimulatedTurn, SimulationError, Simulator } from '../simulator/simulator.js';
import type { ExpectedMessage, Scenario } from './scenario.js';

export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  /** Human-readable differences, one per line. */
  differences: string[];
}

function asExpected(message: OutboundMessage): ExpectedMessage {
  return message.choices === undefined
    ? { text: message.text.trim() }
    : { text: message.text.trim(), choices: message.choices.map((choice) => choice.label) };
}

/**
 * Plays a scenario through the simulator; `port` replaces `__PORT__` in its flow, `model` answers
 * its AI blocks (the scenario's model script).
 */
export async function runScenario(
  scenario: Scenario,
  port: number,
  model?: ModelGateway,
): Promise<ScenarioOutcome> {
  const flow = compileFlow(JSON.parse(JSON.stringify(scenario.flow).replaceAll('__PORT__', String(port))));
  const unanswerable =
    model === undefined
      ? needsModelScript(flow, 'give the scenario a "modelScript" (the script, or the path of its file)')
      : null;
  if (unanswerable !== null) return { name: scenario.name, passed: false, differences: [unanswerable] };
  const simulator = new Simulator(flow, {
    contact: scenario.contact ?? {},
    allowPrivateHttp: true,
    ...(scenario.startAt === undefined ? {} : { startAt: Date.parse(scenario.startAt) }),
    ...(model === undefined ? {} : { model }),
  });
  const differences: string[] = [];
  for (const [index, turn] of scenario.turns.entries()) {
    let played: SimulatedTurn;
    try {
      played = await simulator.play(parseScriptLine(turn.user));
    } catch (cause) {
      if (!(cause instanceof SimulationError)) throw cause;
      // Later turns would only report the same gap again.
      differences.push(`turn ${index + 1} (user: ${JSON.stringify(turn.user)}): ${cause.message}`);
      return { name: scenario.name, passed: false, differences };
    }
    const differ = compareTurn(index, turn.user, turn.bot, played.messages.map(asExpected));
    differences.push(...differ);
    // What the AI blocks did explains most differences in an AI flow: show it with them.
    if (differ.length > 0) {
      for (const note of played.notes.filter((candidate) => candidate.kind.startsWith('ai_')))
        differences.push(`  · ${note.text}`);
    }
  }
  differences.push(...compareResult(scenario.result, simulator.result()));
  return { name: scenario.name, passed: differences.length === 0, differences };
}
