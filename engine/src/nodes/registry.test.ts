import { NODE_TYPES, nodeDefinition } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { executors } from './registry.js';

describe('executors', () => {
  it('resume exactly the node types whose definition says they wait', () => {
    const waiting = NODE_TYPES.filter((type) => nodeDefinition(type).stops === 'wait');
    const resuming = NODE_TYPES.filter((type) => 'resume' in executors[type]);
    expect(resuming).toEqual(waiting);
    expect(waiting.length).toBeGreaterThan(0);
  });
});
