import type { OutboundMessage } from '@parley/engine';
import { compileFlow } from '@parley/engine';
import { compareResult, compareTurn } from '@parley/schemas/scenario';
import { parseScriptLine } from '../simulator/script-line.js';
import { Simulator } from '../simulator/simulator.js';
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

/** Plays a scenario through the simulator; `port` replaces `__PORT__` in its flow. */
export async function runScenario(scenario: Scenario, port: number): Promise<ScenarioOutcome> {
  const flow = compileFlow(JSON.parse(JSON.stringify(scenario.flow).replaceAll('__PORT__', String(port))));
  const simulator = new Simulator(flow, {
    contact: scenario.contact ?? {},
    allowPrivateHttp: true,
    ...(scenario.startAt === undefined ? {} : { startAt: Date.parse(scenario.startAt) }),
  });
  const differences: string[] = [];
  for (const [index, turn] of scenario.turns.entries()) {
    const actual = (await simulator.play(parseScriptLine(turn.user))).map(asExpected);
    differences.push(...compareTurn(index, turn.user, turn.bot, actual));
  }
  differences.push(...compareResult(scenario.result, simulator.result()));
  return { name: scenario.name, passed: differences.length === 0, differences };
}
