import http from 'node:http';

export type LoopbackRedirect = Readonly<{ redirectUri: string; close(): Promise<void> }>;

const PAGE = (text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OnScene sign-in</title></head><body><main><h1>${text}</h1><p>You can close this tab and return to OnScene.</p></main></body></html>`;

/**
 * The redirect target for sign-in in the system browser (RFC 8252 §7.3): a listener on
 * 127.0.0.1 at a port the OS picks, serving only /oidc/callback. The desktop shell uses it; the web
 * shell serves the same path on its own origin.
 */
export async function startLoopbackRedirect(onCallback: (url: URL) => Promise<void>): Promise<LoopbackRedirect> {
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' || url.pathname !== '/oidc/callback' || req.headers.host !== `127.0.0.1:${port}`) {
      res.writeHead(404).end();
      return;
    }
    onCallback(url)
      .then(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE('You are signed in to the identity provider')))
      .catch(() => res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE('Sign-in did not complete')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    redirectUri: `http://127.0.0.1:${port}/oidc/callback`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
