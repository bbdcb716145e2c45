import { type Problem, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { FLOW_TEMPLATES } from '../templates';
import { locateProblems, problemsByNode } from './problems';

describe('problems on the canvas', () => {
  it('attaches node, trigger and edge problems to the element to select', () => {
    const document = structuredClone(FLOW_TEMPLATES[0]!.document);
    document.nodes[2]!.config = { ...document.nodes[2]!.config, prompt: '' } as never;
    document.triggers[0]!.target = '';
    document.edges.push({ id: 'e9', source: 'n4', sourceHandle: 'nope', target: 'n5' });
    const { errors } = validateFlow(document);
    const located = locateProblems(document, errors);
    const prompt = located.find((problem) => problem.pointer === '/nodes/2/config/prompt');
    expect(prompt).toMatchObject({ nodeId: 'n3', where: 'Question' });
    const choice = locateProblems(document, [
      { pointer: '/nodes/2/config/choices/1/value', message: 'x', severity: 'error' },
      { pointer: '/nodes/2/config/retry/maxAttempts', message: 'x', severity: 'error' },
    ]);
    expect(choice.map((problem) => problem.where)).toEqual([
      'Choices › 2 › value',
      'When the answer is not valid › maxAttempts',
    ]);
    const trigger = located.find((problem) => problem.pointer === '/triggers/0/target');
    expect(trigger).toMatchObject({
      nodeId: 'trigger:t1',
      message: 'Connect this start to the block where conversations begin.',
    });
    expect(located.find((problem) => problem.pointer.startsWith('/edges/7'))?.nodeId).toBe('n4');
  });

  it('lists errors before warnings per node, and leaves flow-wide problems unattached', () => {
    const problems: Problem[] = [
      { pointer: '/nodes/0', message: 'w', severity: 'warning' },
      { pointer: '/nodes/0/config/text', message: 'e', severity: 'error' },
      { pointer: '/name', message: 'flow', severity: 'error' },
    ];
    const located = locateProblems(FLOW_TEMPLATES[0]!.document, problems);
    expect(located[2]!.nodeId).toBeNull();
    expect(
      problemsByNode(located)
        .get('n1')!
        .map((problem) => problem.message),
    ).toEqual(['e', 'w']);
  });
});
