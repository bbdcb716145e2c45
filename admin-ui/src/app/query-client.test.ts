import { QueryClient } from '@tanstack/react-query';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sessionStore } from '@/infrastructure/store';
import { clearOnWorkspaceChange } from './query-client';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('the query cache across workspaces', () => {
  const before = sessionStore.getState();
  const client = new QueryClient();
  const stop = clearOnWorkspaceChange(client);
  afterAll(stop);
  afterEach(() => {
    client.clear();
    sessionStore.setState({ workspaceId: before.workspaceId, token: before.token, me: before.me });
  });

  it('is emptied when the person leaves a workspace for another', () => {
    sessionStore.setState({ workspaceId: A });
    client.setQueryData(['conversations', {}], ['a conversation of A']);
    sessionStore.getState().switchWorkspace(B);
    expect(client.getQueryData(['conversations', {}])).toBeUndefined();
  });

  it('is emptied when the workspace is forgotten (the person was removed from it)', () => {
    sessionStore.setState({ workspaceId: A });
    client.setQueryData(['flows', 'all'], ['a flow of A']);
    sessionStore.getState().switchWorkspace('');
    expect(client.getQueryData(['flows', 'all'])).toBeUndefined();
  });

  it('is emptied when the session changes, in the same workspace', () => {
    sessionStore.setState({ workspaceId: A, token: 'the admin’s' });
    client.setQueryData(['users', A], ['what only an admin may read']);
    sessionStore.getState().signIn('a viewer’s', A);
    expect(client.getQueryData(['users', A])).toBeUndefined();
    client.setQueryData(['flows', 'all'], ['a flow of A']);
    sessionStore.getState().signOut();
    expect(client.getQueryData(['flows', 'all'])).toBeUndefined();
  });

  it('is kept when a new session learns its workspace, or stays in the same one', () => {
    sessionStore.setState({ workspaceId: null });
    client.setQueryData(['policy'], { fine: true });
    sessionStore.setState({ workspaceId: A });
    sessionStore.setState({ workspaceId: A, me: null });
    expect(client.getQueryData(['policy'])).toEqual({ fine: true });
  });
});
