import { randomUUID } from 'node:crypto';

/** Talks to Parley through the gateway the way any client would, to set the scene for a page. */
export function parleyApi(gatewayUrl: string, siteId: string) {
  async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  return {
    async register(name: string): Promise<{ token: string; email: string; password: string }> {
      const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.com`;
      const password = 'correct horse battery';
      const session = await call<{ accessToken: string }>('POST', '/auth/register', { email, password, displayName: name });
      return { token: session.accessToken, email, password };
    },
    post(token: string, article: string, body: string, parentId?: string) {
      return call<{ comment: { id: string } }>('POST', `/api/sites/${siteId}/articles/${article}/comments`, { body, parentId }, token);
    },
    react(token: string, commentId: string) {
      return call('PUT', `/api/comments/${commentId}/reaction`, undefined, token);
    },
    report(token: string, commentId: string, reason: string) {
      return call('POST', `/api/comments/${commentId}/reports`, { reason }, token);
    },
  };
}
