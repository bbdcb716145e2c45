import { FLOW_TEMPLATES, nodeName, type Problem, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
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
    expect(prompt?.block).toBe(nodeName(document.nodes[2]!));
    const choice = locateProblems(document, [
      { pointer: '/nodes/2/config/choices/1/value', message: 'x', severity: 'error' },
      { pointer: '/nodes/2/config/retry/maxAttempts', message: 'x', severity: 'error' },
    ]);
    expect(choice.map((problem) => problem.where)).toEqual([
      'Choices › 2 › Saved as',
      'When the answer is not valid › Attempts',
    ]);
    const trigger = located.find((problem) => problem.pointer === '/triggers/0/target');
    expect(trigger).toMatchObject({
      nodeId: 'trigger:t1',
      message: 'Connect this start to the block where conversations begin.',
    });
    const edge = located.find((problem) => problem.pointer.startsWith('/edges/7'));
    expect(edge).toMatchObject({ nodeId: 'n4', block: nodeName(document.nodes[3]!) });
    expect(trigger?.block).toBe('Start (Message is “hi”, “hello”, “start”)');
  });

  it('names a block by its label, and a missing setting by its title', () => {
    const document = structuredClone(FLOW_TEMPLATES[0]!.document);
    const asked = document.nodes[1]!;
    document.nodes[1] = { ...asked, label: 'Ask the name' };
    const { prompt: _gone, ...config } = asked.config as { prompt: string };
    document.nodes[2] = { ...document.nodes[2]!, config } as never;
    const located = locateProblems(document, validateFlow(document).errors);
    expect(located).toContainEqual(
      expect.objectContaining({
        nodeId: 'n3',
        block: 'Question',
        where: 'Question',
        message: 'Must be filled in.',
      }),
    );
    const labelled = locateProblems(document, [{ pointer: '/nodes/1', message: 'x', severity: 'warning' }]);
    expect(labelled[0]?.block).toBe('Question “Ask the name”');
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
