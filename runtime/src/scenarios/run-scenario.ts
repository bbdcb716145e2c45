import { isDeepStrictEqual } from 'node:util';
import type { OutboundMessage } from '@parley/engine';
import { compileFlow } from '@parley/engine';
import { parseScriptLine } from '../simulator/script-line.js';
import { Simulator } from '../simulator/simulator.js';
import type { ExpectedMessage, Scenario } from './scenario.js';

export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  /** Human-readable differences, one per line. */
  differences: string[];
}

function describeMessage(message: ExpectedMessage): string {
  return message.choices === undefined
    ? JSON.stringify(message.text)
    : `${JSON.stringify(message.text)} [${message.choices.join(' | ')}]`;
}

function asExpected(message: OutboundMessage): ExpectedMessage {
  return message.choices === undefined
    ? { text: message.text.trim() }
    : { text: message.text.trim(), choices: message.choices.map((choice) => choice.label) };
}

function sameMessage(expected: ExpectedMessage, actual: ExpectedMessage): boolean {
  if (expected.text.trim() !== actual.text) return false;
  return expected.choices === undefined || isDeepStrictEqual(expected.choices, actual.choices ?? []);
}

function compareTurn(
  index: number,
  user: string,
  expected: ExpectedMessage[],
  actual: ExpectedMessage[],
): string[] {
  const same =
    expected.length === actual.length &&
    expected.every((message, i) => sameMessage(message, actual[i] as ExpectedMessage));
  if (same) return [];
  return [
    `turn ${index + 1} (user: ${JSON.stringify(user)}):`,
    `  - expected: ${expected.length === 0 ? '(silence)' : expected.map(describeMessage).join(', ')}`,
    `  + actual:   ${actual.length === 0 ? '(silence)' : actual.map(describeMessage).join(', ')}`,
  ];
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
  const result = simulator.result();
  if (result.status !== scenario.result.status) {
    differences.push(`status: expected ${scenario.result.status}, got ${result.status}`);
  }
  if (!isDeepStrictEqual(result.answers, scenario.result.answers ?? {})) {
    differences.push(
      `answers: expected ${JSON.stringify(scenario.result.answers ?? {})}, got ${JSON.stringify(result.answers)}`,
    );
  }
  return { name: scenario.name, passed: differences.length === 0, differences };
}
