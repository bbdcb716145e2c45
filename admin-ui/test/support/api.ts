/** Direct Admin API calls for test setup (what the UI does is tested through the UI). */
export async function apiLogin(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function apiCall<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path} failed: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** Signs in as an invited person and accepts every invitation waiting for them. */
export async function acceptInvitations(base: string, email: string, password: string): Promise<void> {
  const token = await apiLogin(base, email, password);
  const { items } = await apiCall<{ items: { id: string }[] }>(base, token, 'GET', '/invitations');
  for (const { id } of items) await apiCall(base, token, 'POST', `/invitations/${id}/accept`);
}
