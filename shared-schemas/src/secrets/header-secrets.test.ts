import { describe, expect, it } from 'vitest';
import { anyMessage, END, edge, expectReadable, flow, node, pairs } from '../__fixtures__/flows.js';
import { diffFlows } from '../diff/diff-flows.js';
import type { FlowDocument } from '../flow/document.js';
import { validateFlow } from '../validation/validate-flow.js';
import { mapHeaderValues, maskHeaderValues, SAVED_SECRET } from './header-secrets.js';

const KEY = 'Bearer sk_live_abc123';

function withHeaders(headers: Record<string, unknown>, url = 'https://crm.example.com/leads') {
  return flow({
    triggers: [anyMessage('call')],
    nodes: [node('call', 'http_request', { url, headers }), END],
    edges: [edge('e1', 'call', 'success', 'done'), edge('e2', 'call', 'failure', 'done')],
  });
}

describe('header secrets', () => {
  it('a flow with plaintext headers stays valid (documents written before secrets still work)', () => {
    expect(validateFlow(withHeaders({ Authorization: KEY, 'X-Id': '{{contact.phone}}' })).errors).toEqual([]);
  });

  it('masks every header value and nothing else', () => {
    const masked = maskHeaderValues(withHeaders({ Authorization: KEY, 'X-Other': 'b' }));
    expect(JSON.stringify(masked)).not.toContain('sk_live');
    expect(masked).toEqual(withHeaders({ Authorization: SAVED_SECRET, 'X-Other': SAVED_SECRET }));
    // Anything that is not a definition passes through untouched.
    expect(maskHeaderValues('not a flow')).toBe('not a flow');
  });

  it('tells where each value sits', () => {
    const seen: unknown[] = [];
    mapHeaderValues(withHeaders({ Authorization: KEY }), (value, at) => {
      seen.push([value, at.nodeId, at.header, at.config.url]);
      return value;
    });
    expect(seen).toEqual([[KEY, 'call', 'Authorization', 'https://crm.example.com/leads']]);
  });

  it('a masked value without a saved one behind it is an error in plain words, not a crash', () => {
    const { errors } = validateFlow(withHeaders({ Authorization: SAVED_SECRET }));
    expect(pairs(errors)).toEqual([
      [
        '/nodes/0/config/headers/Authorization',
        'The value of header “Authorization” is secret and has to be typed again: exported files leave secrets out, and a saved value stays behind when the address moves to another site.',
      ],
    ]);
    expectReadable(errors[0]?.message ?? '');
  });

  it('the diff names the header that changed, never its values', () => {
    const before = withHeaders({ Authorization: KEY, Old: 'gone-value' }) as unknown as FlowDocument;
    const after = withHeaders({
      Authorization: 'Bearer sk_live_new999',
      New: 'new-value',
    }) as unknown as FlowDocument;
    const changes = diffFlows(before, after);
    expect(JSON.stringify(changes)).not.toMatch(/sk_live|gone-value|new-value/);
    expect(changes.map((change) => change.description).sort()).toEqual([
      'HTTP request “https://crm.example.com/leads”: header Authorization value changed',
      'HTTP request “https://crm.example.com/leads”: header New added',
      'HTTP request “https://crm.example.com/leads”: header Old removed',
    ]);
    const added = diffFlows(withHeaders({}) as unknown as FlowDocument, {
      ...before,
      nodes: [...before.nodes, { ...(before.nodes[0] as FlowDocument['nodes'][number]), id: 'call2' }],
    });
    expect(JSON.stringify(added)).not.toContain('sk_live');
  });
});
