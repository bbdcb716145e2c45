import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/** The editor and the publish checks warn about a private address only where it will be refused. */
describe.each([
  { allowPrivateHttp: false, warned: true },
  { allowPrivateHttp: true, warned: false },
])('address policy (private addresses allowed: $allowPrivateHttp)', ({ allowPrivateHttp, warned }) => {
  let api: TestApi;
  let viewer: Client;

  beforeAll(async () => {
    api = await startTestApi({ allowPrivateHttp });
    viewer = await api.member('viewer');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('tells every member what the deployment allows', async () => {
    const policy = await viewer.call('get', '/policy');
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({ privateHttpAllowed: allowPrivateHttp, emailEnabled: false });
    expect((await api.call('get', '/policy')).status).toBe(401);
  });

  it('validates a draft calling a private address by the same setting', async () => {
    const created = await api.admin.call('post', '/flows', {
      name: 'CRM',
      definition: httpFlow('http://10.0.0.5/leads'),
    });
    expect(created.status).toBe(201);
    const urlWarnings = (body: { warnings: { pointer: string }[] }) =>
      body.warnings.filter((problem) => problem.pointer === '/nodes/0/config/url');
    const checked = await api.admin.call('post', `/flows/${created.body.id}/validate`);
    expect(checked.status).toBe(200);
    expect(urlWarnings(checked.body)).toHaveLength(warned ? 1 : 0);
    // A warning never blocks publishing.
    expect((await api.admin.call('post', `/flows/${created.body.id}/publish`)).status).toBe(201);
  });
});
