// Engine throughput: complete conversations through a generated 200-node flow, state in memory.
//
// Every step is timed on its own; the baseline, timed on the same input states in the same loop, is
// what any state-machine step at least pays here: copying the state (structuredClone) and
// serialising it for storage (JSON.stringify).
import { compileFlow, initialState, step } from '@parley/engine';
import { chainFlow } from './flows.mjs';
import { heapUsedMiB, mean, nowMs, percentile, report } from './lib.mjs';

const NODES = 200;
const WARMUP_CONVERSATIONS = 100;
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const START = Date.UTC(2025, 0, 1);

const { flow: document, script } = chainFlow(NODES);
const flow = compileFlow(document);

/** The baseline on one state: milliseconds to copy it and serialise it. */
function baseline(state) {
  const start = nowMs();
  structuredClone(state);
  JSON.stringify(state);
  return nowMs() - start;
}

/** One contact's complete conversation; returns its final state. Timings go into `timings`. */
function converse(contact, timings) {
  let state = initialState({ name: `Contact ${contact}`, phone: `+1555${String(contact).padStart(7, '0')}` });
  let now = START + contact * 1000;
  for (let turn = 0; turn < script.length; turn++) {
    const event = { type: 'message', id: `c${contact}-m${turn}`, text: script[turn] };
    now += 2000;
    if (timings === undefined) {
      state = step(flow, state, event, now).state;
      continue;
    }
    // Which of the two runs first alternates, so neither always finds the state in a warm cache.
    if (turn % 2 === 0) timings.baseline.push(baseline(state));
    const stepStart = nowMs();
    const result = step(flow, state, event, now);
    timings.step.push(nowMs() - stepStart);
    if (turn % 2 === 1) timings.baseline.push(baseline(state));
    timings.outbound += result.outbound.length;
    state = result.state;
  }
  if (state.conversation?.status !== 'completed') {
    throw new Error(
      `conversation ${contact} ended ${state.conversation?.status}: the script no longer fits the flow`,
    );
  }
  return state;
}

for (let contact = 0; contact < WARMUP_CONVERSATIONS; contact++) converse(-1 - contact);

const heapBefore = heapUsedMiB();
/** The in-memory state store: every contact's latest state, as the single-process runtime keeps it. */
const store = new Map();
const timings = { step: [], baseline: [], outbound: 0 };
const wallStart = nowMs();
for (let contact = 0; contact < CONVERSATIONS; contact++) store.set(contact, converse(contact, timings));
const wallMs = nowMs() - wallStart;
const heapAfter = heapUsedMiB();

const steps = timings.step.length;
const stepMs = timings.step.reduce((sum, ms) => sum + ms, 0);
const stateBytes = mean([...store.values()].slice(0, 100).map((state) => JSON.stringify(state).length));

report(
  'engine',
  {
    conversations: [CONVERSATIONS, 'conversations'],
    steps: [steps, 'steps'],
    steps_per_conversation: [steps / CONVERSATIONS, 'steps'],
    steps_per_sec: [steps / (stepMs / 1000), 'steps/s'],
    conversations_per_sec: [CONVERSATIONS / (wallMs / 1000), 'conversations/s'],
    step_p50_us: [percentile(timings.step, 50) * 1000, 'µs'],
    step_p99_us: [percentile(timings.step, 99) * 1000, 'µs'],
    step_mean_us: [mean(timings.step) * 1000, 'µs'],
    baseline_p50_us: [percentile(timings.baseline, 50) * 1000, 'µs'],
    baseline_mean_us: [mean(timings.baseline) * 1000, 'µs'],
    ratio_to_clone_baseline: [mean(timings.step) / mean(timings.baseline), '×'],
    outbound_per_step: [timings.outbound / steps, 'messages'],
    final_state_bytes: [stateBytes, 'bytes (JSON)'],
    heap_used_mib: [heapAfter, 'MiB'],
    heap_state_store_mib: [heapAfter - heapBefore, 'MiB'],
  },
  {
    title: `engine — ${NODES}-node flow, ${CONVERSATIONS} complete conversations (${script.length} inbound messages each)`,
    notes: [
      'steps_per_sec counts engine time only; conversations_per_sec includes the baseline work and timers.',
      'ratio_to_clone_baseline = mean step time / mean (structuredClone + JSON.stringify of the same state).',
    ],
  },
);
