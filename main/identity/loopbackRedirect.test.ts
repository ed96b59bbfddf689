import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startLoopbackRedirect } from './loopbackRedirect';

/** A raw request, so the Host header can be set the way a rebinding page would send it. */
function get(port: number, pathAndQuery: string, host = `127.0.0.1:${port}`): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: pathAndQuery, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('the desktop shell’s loopback redirect (RFC 8252 §7.3)', () => {
  it('hands the callback URL on, answers only /oidc/callback on its own Host, and reports a failed sign-in', async () => {
    const seen: URL[] = [];
    let fail = false;
    const loopback = await startLoopbackRedirect(async (url) => {
      seen.push(url);
      if (fail) throw new Error('refused');
    });
    try {
      const port = Number(new URL(loopback.redirectUri).port);
      expect(loopback.redirectUri).toBe(`http://127.0.0.1:${port}/oidc/callback`);
      expect(await get(port, '/oidc/callback?code=c&state=s')).toBe(200);
      expect(seen.map((u) => u.searchParams.get('state'))).toEqual(['s']);
      fail = true;
      expect(await get(port, '/oidc/callback?code=c&state=t')).toBe(400);
      expect(await get(port, '/')).toBe(404);
      expect(await get(port, '/oidc/callback?code=c&state=u', 'evil.example')).toBe(404);
      expect(seen).toHaveLength(2);
    } finally {
      await loopback.close();
    }
  });
});
