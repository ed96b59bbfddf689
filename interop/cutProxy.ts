import http from 'node:http';
import type net from 'node:net';

/**
 * A real loopback proxy in front of a central record, for "the signal dropped mid-response": it
 * forwards each request, rewrites the server's own base URL in the answer to the proxy's (as a
 * reverse proxy in front of a FHIR server must, so next links come back through it), and can
 * destroy the TCP socket part-way through an answer the server has already produced. The client
 * sees exactly what a dropped mobile connection gives it: headers, some bytes, then a reset.
 */
export type CutProxy = Readonly<{
  baseUrl: string;
  /** Cuts one upcoming answer: the `nth` request from now (1 = the next), after `afterBytes` bytes of its body. */
  cutNext(nth: number, afterBytes: number): void;
  /** Cuts every answer from now on after `afterBytes` body bytes (null: stop). */
  cutAll(afterBytes: number | null): void;
  cuts(): number;
  requests(): number;
  close(): Promise<void>;
}>;

export async function startCutProxy(targetBaseUrl: string): Promise<CutProxy> {
  const target = new URL(targetBaseUrl.replace(/\/+$/, ''));
  const targetBase = target.href.replace(/\/+$/, '');
  let pending: { nth: number; afterBytes: number } | null = null;
  let always: number | null = null;
  let cuts = 0;
  let requests = 0;
  const sockets = new Set<net.Socket>();
  let ownBase = '';

  const server = http.createServer((req, res) => {
    requests++;
    let budget: number | null = always;
    if (pending && --pending.nth === 0) {
      budget = pending.afterBytes;
      pending = null;
    }
    // Plain bodies from upstream, so the base URL inside them can be rewritten.
    const { 'accept-encoding': _ae, host: _h, ...headers } = req.headers;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(targetBase).join(ownBase), 'utf8');
        const { 'content-length': _cl, 'transfer-encoding': _te, connection: _c, ...out } = answer.headers;
        for (const name of ['location', 'content-location']) if (typeof out[name] === 'string') out[name] = (out[name] as string).split(targetBase).join(ownBase);
        res.writeHead(answer.statusCode ?? 502, { ...out, 'content-length': String(body.length) });
        if (budget !== null && budget < body.length) {
          res.write(body.subarray(0, budget), () => {
            cuts++;
            res.socket?.destroy();
          });
          return;
        }
        res.end(body);
      });
    });
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  ownBase = `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`;
  return {
    baseUrl: ownBase,
    cutNext: (nth, afterBytes) => (pending = { nth, afterBytes }),
    cutAll: (afterBytes) => (always = afterBytes),
    cuts: () => cuts,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
