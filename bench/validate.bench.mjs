// Validation speed: `validateFlow` (JSON Schema + graph rules) on generated valid flows.
//
// The baseline, measured in the same run, is one JSON round trip of the same document
// (`JSON.parse(JSON.stringify(doc))`): the least any tool that reads the whole document pays.
import { validateFlow } from '@parley/schemas';
import { chainFlow } from './flows.mjs';
import { heapUsedMiB, nowMs, report, timed } from './lib.mjs';

const RUNS = 20;

function validateOrThrow(doc) {
  const { errors, warnings } = validateFlow(doc);
  if (errors.length > 0)
    throw new Error(`the generated flow is not valid: ${JSON.stringify(errors.slice(0, 3))}`);
  return warnings.length;
}

const { flow: flow1k } = chainFlow(1000);
const { flow: flow10k } = chainFlow(10_000);
const bytes1k = JSON.stringify(flow1k).length;
const bytes10k = JSON.stringify(flow10k).length;

// The first run also compiles the answer validators (cached afterwards).
const firstStart = nowMs();
const warnings1k = validateOrThrow(flow1k);
const first1kMs = nowMs() - firstStart;
const validate1k = timed(() => validateOrThrow(flow1k), { warmup: 3, runs: RUNS });
const roundTrip1k = timed(() => JSON.parse(JSON.stringify(flow1k)), { warmup: 3, runs: RUNS });

const start10k = nowMs();
const warnings10k = validateOrThrow(flow10k);
const validate10kMs = nowMs() - start10k;
const heapUsed = heapUsedMiB();
const roundTrip10k = timed(() => JSON.parse(JSON.stringify(flow10k)), { warmup: 1, runs: 5 });

report(
  'validate',
  {
    nodes_1k: [flow1k.nodes.length, 'nodes'],
    edges_1k: [flow1k.edges.length, 'edges'],
    document_1k_kib: [bytes1k / 1024, 'KiB (JSON)'],
    validate_1k_first_ms: [first1kMs, 'ms'],
    validate_1k_median_ms: [validate1k.median, 'ms'],
    validate_1k_p95_ms: [validate1k.p95, 'ms'],
    validate_1k_nodes_per_ms: [flow1k.nodes.length / validate1k.median, 'nodes/ms'],
    roundtrip_1k_median_ms: [roundTrip1k.median, 'ms'],
    ratio_1k_to_roundtrip: [validate1k.median / roundTrip1k.median, '×'],
    warnings_1k: [warnings1k, 'warnings'],
    nodes_10k: [flow10k.nodes.length, 'nodes'],
    document_10k_kib: [bytes10k / 1024, 'KiB (JSON)'],
    validate_10k_once_ms: [validate10kMs, 'ms'],
    roundtrip_10k_median_ms: [roundTrip10k.median, 'ms'],
    ratio_10k_to_roundtrip: [validate10kMs / roundTrip10k.median, '×'],
    warnings_10k: [warnings10k, 'warnings'],
    heap_used_mib: [heapUsed, 'MiB (both documents held)'],
  },
  {
    title: `validate — generated valid flows: 1,000 nodes (median/p95 of ${RUNS} runs after 3 warm-up) and 10,000 nodes (once)`,
    notes: [
      'ratio_*_to_roundtrip = validateFlow time / JSON.parse(JSON.stringify(doc)) time on the same document.',
    ],
  },
);
