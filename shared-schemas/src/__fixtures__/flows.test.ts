import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFlows } from './flows.js';

describe('scenarioFlows', () => {
  it('reads the conformance scenarios', () => {
    const flows = scenarioFlows();
    expect(flows.length).toBeGreaterThanOrEqual(32);
    expect(flows.map(({ file }) => file)).toContain('greeting.json');
    expect(flows.every(({ flow }) => flow.schemaVersion === 1)).toBe(true);
  });

  it('fails when the folder holds no scenario, or is not there', () => {
    const empty = mkdtempSync(join(tmpdir(), 'parley-no-scenarios-'));
    try {
      writeFileSync(join(empty, 'notes.txt'), 'not a scenario');
      expect(() => scenarioFlows(empty)).toThrow(/No scenario files/);
      expect(() => scenarioFlows(join(empty, 'moved'))).toThrow(/No scenario files/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
