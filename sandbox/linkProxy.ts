import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { ThrottleGroup } from 'stream-throttle';
import { type Sandbox, type SandboxOptions, startSandbox } from './server';

/**
 * A bad road, simulated (issue #18): a loopback TCP proxy between OnScene and the sandbox with
 * latency, bandwidth, lost segments and connection cuts. The kernel here has no netem, so the link
 * is modelled in user space. Bandwidth is stream-throttle's token bucket, one bucket per direction
 * shared by every connection (a radio link's capacity is shared, not per socket).
 *
 * The model, and what it leaves out:
 * - Latency: every chunk is delivered RTT/2 after it leaves the bandwidth stage, in order.
 * - Lost segments: TCP never loses data, it retransmits, so a drop is modelled as what the
 *   application sees: each 1,460-byte segment is lost with probability `dropRate`, and a chunk
 *   holding a lost segment (and everything behind it: head-of-line blocking) waits one
 *   retransmission timeout, max(200 ms, 2·RTT) (Linux's minimum RTO is 200 ms). Window halving
 *   after a loss is not modelled, so throughput under loss is somewhat optimistic.
 * - Cuts: every open connection is destroyed (both sides), and for `cutDownMs` new connections
 *   are reset on arrival: signal lost, then back. By time (the profiles) or, for tests that count
 *   rather than time, after every `everyBytes` bytes sent by the server.
 * - The stream-throttle bucket holds one second of tokens, so a link that was idle can burst up
 *   to one second's worth of data before the rate holds.
 */
export type LinkCut = Readonly<{ everyMs: number } | { everyBytes: number }>;

export type LinkProfile = Readonly<{
  /** Round-trip time added by the link. */
  rttMs: number;
  /** Capacity in each direction, bits per second. */
  bitsPerSecond: number;
  /** Probability that one 1,460-byte segment is lost and has to be retransmitted. */
  dropRate: number;
  cut: LinkCut | null;
  /** How long the signal stays lost after a cut. */
  cutDownMs: number;
}>;

/** The three profiles, exactly as it gives them. */
export const LINK_PROFILES = {
  '4G good': { rttMs: 60, bitsPerSecond: 10_000_000, dropRate: 0, cut: null, cutDownMs: 0 },
  '3G poor': { rttMs: 300, bitsPerSecond: 1_000_000, dropRate: 0.01, cut: null, cutDownMs: 0 },
  'edge of coverage': { rttMs: 800, bitsPerSecond: 256_000, dropRate: 0.05, cut: { everyMs: 20_000 }, cutDownMs: 1_000 },
} as const satisfies Record<string, LinkProfile>;

export type LinkProfileName = keyof typeof LINK_PROFILES;

/** Figure-name form of a profile: "3G poor" → "3g_poor". */
export const profileSlug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '_');

export type LinkStats = Readonly<{
  connections: number;
  /** Connections reset on arrival while the signal was lost. */
  refused: number;
  cuts: number;
  /** Bytes the client sent into the link. */
  bytesUp: number;
  /** Bytes the server sent into the link. */
  bytesDown: number;
  /** Segments lost (each cost one retransmission timeout). */
  lostSegments: number;
  /**
   * Most bytes the server sent on one connection between two writes of the client: the largest
   * single response (HTTP/1.1 without pipelining answers one request at a time per connection).
   */
  largestResponse: number;
}>;

export type LinkProxy = Readonly<{
  host: string;
  port: number;
  stats(): LinkStats;
  /** Cuts every connection now (and keeps the signal lost for the profile's cutDownMs). */
  cut(): void;
  isUp(): boolean;
  /** Resolves when the signal is back (at once if it is up). */
  whenUp(): Promise<void>;
  close(): Promise<void>;
}>;

export type LinkProxyOptions = Readonly<{
  target: Readonly<{ host: string; port: number }>;
  listen: Readonly<{ host: string; port: number }>;
  profile: LinkProfile;
  /** Seeded random source for repeatable drops (default Math.random). */
  random?: () => number;
}>;

const SEGMENT_BYTES = 1460;

/**
 * Delivers chunks `oneWayMs` after they arrive, in order; a chunk that holds a lost segment waits
 * one retransmission timeout more, and so does everything queued behind it.
 */
class DelayLine extends Transform {
  private readonly queue: { at: number; chunk: Buffer }[] = [];
  private lastAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private onDrained: (() => void) | null = null;

  constructor(
    private readonly oneWayMs: number,
    private readonly rtoMs: number,
    private readonly dropRate: number,
    private readonly random: () => number,
    private readonly onLost: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let extra = 0;
    for (let s = 0; s < Math.ceil(chunk.length / SEGMENT_BYTES) && this.dropRate > 0; s++) {
      if (this.random() < this.dropRate) {
        extra = this.rtoMs;
        this.onLost();
        break;
      }
    }
    this.lastAt = Math.max(performance.now() + this.oneWayMs + extra, this.lastAt);
    this.queue.push({ at: this.lastAt, chunk });
    this.arm();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.queue.length) return done();
    this.onDrained = () => done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue.length = 0;
    done(error);
  }

  private arm(): void {
    const head = this.queue[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, head.at - performance.now()));
  }

  private release(): void {
    this.timer = null;
    const now = performance.now();
    while (this.queue.length && (this.queue[0] as { at: number }).at <= now + 0.5) this.push((this.queue.shift() as { chunk: Buffer }).chunk);
    if (this.queue.length) this.arm();
    else this.onDrained?.();
  }
}

/** Starts the link: connections to `listen` reach `target` through the profile's bad road. */
export function startLinkProxy(options: LinkProxyOptions): Promise<LinkProxy> {
  const { profile } = options;
  const random = options.random ?? Math.random;
  const rate = Math.max(1, Math.floor(profile.bitsPerSecond / 8));
  // One bucket per direction for the whole link; chunks of ~10 ms of capacity, at least one segment.
  const chunksize = Math.max(SEGMENT_BYTES, Math.floor(rate / 100));
  const upLink = new ThrottleGroup({ rate, chunksize });
  const downLink = new ThrottleGroup({ rate, chunksize });
  const rtoMs = Math.max(200, 2 * profile.rttMs);
  const stats = { connections: 0, refused: 0, cuts: 0, bytesUp: 0, bytesDown: 0, lostSegments: 0, largestResponse: 0 };
  const open = new Set<net.Socket>();
  let downUntil = 0;
  let nextCutAtBytes = profile.cut && 'everyBytes' in profile.cut ? profile.cut.everyBytes : Number.POSITIVE_INFINITY;
  let waiters: (() => void)[] = [];
  let upTimer: NodeJS.Timeout | null = null;

  const isUp = () => performance.now() >= downUntil;
  const cut = () => {
    stats.cuts++;
    downUntil = performance.now() + profile.cutDownMs;
    for (const socket of open) socket.destroy();
    open.clear();
    if (upTimer) clearTimeout(upTimer);
    upTimer = setTimeout(() => {
      upTimer = null;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }, profile.cutDownMs);
  };
  const delay = () => new DelayLine(profile.rttMs / 2, rtoMs, profile.dropRate, random, () => stats.lostSegments++);

  const server = net.createServer((client) => {
    if (!isUp()) {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    stats.connections++;
    const upstream = net.connect(options.target.port, options.target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    let response = 0;
    client.on('data', (chunk: Buffer) => {
      stats.bytesUp += chunk.length;
      response = 0;
    });
    upstream.on('data', (chunk: Buffer) => {
      stats.bytesDown += chunk.length;
      response += chunk.length;
      stats.largestResponse = Math.max(stats.largestResponse, response);
      if (stats.bytesDown >= nextCutAtBytes && profile.cut && 'everyBytes' in profile.cut) {
        nextCutAtBytes = stats.bytesDown + profile.cut.everyBytes;
        setImmediate(cut);
      }
    });
    const up = [upLink.throttle({ rate, chunksize }), delay()] as const;
    const down = [downLink.throttle({ rate, chunksize }), delay()] as const;
    client.pipe(up[0]).pipe(up[1]).pipe(upstream);
    upstream.pipe(down[0]).pipe(down[1]).pipe(client);
    // A cut or a closed side tears the whole path down, buffered bytes included.
    const stages = [...up, ...down];
    client.once('close', () => stages.forEach((s) => s.destroy()));
  });
  const cutTimer = profile.cut && 'everyMs' in profile.cut ? setInterval(cut, profile.cut.everyMs) : null;
  cutTimer?.unref();

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        stats: () => ({ ...stats }),
        cut,
        isUp,
        whenUp: () => (isUp() ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
        close: () =>
          new Promise<void>((done) => {
            if (cutTimer) clearInterval(cutTimer);
            if (upTimer) clearTimeout(upTimer);
            for (const socket of open) socket.destroy();
            for (const resolveWaiter of waiters) resolveWaiter();
            server.close(() => done());
          }),
      });
    });
  });
}

export type LinkedSandbox = Readonly<{ sandbox: Sandbox; link: LinkProxy; baseUrl: string; close(): Promise<void> }>;

/** The loopback address the sandbox listens on behind the link; clients use 127.0.0.1 and the same port. */
const BEHIND_LINK_HOST = '127.0.0.2';

/**
 * The sandbox with the link in front: the sandbox listens on 127.0.0.2:P, the link on 127.0.0.1:P,
 * and the sandbox's links (next pages, fullUrl) name 127.0.0.1:P, so every request a client makes,
 * next pages included, crosses the link. The same port on both keeps the sandbox's Host check
 * (127.0.0.1:P) satisfied without changing it.
 */
export async function startSandboxBehindLink(options: SandboxOptions, profile: LinkProfile, random?: () => number): Promise<LinkedSandbox> {
  for (let attempt = 1; ; attempt++) {
    const sandbox = await startSandbox({ ...options, host: BEHIND_LINK_HOST, port: 0 });
    try {
      const link = await startLinkProxy({
        target: { host: BEHIND_LINK_HOST, port: sandbox.port },
        listen: { host: '127.0.0.1', port: sandbox.port },
        profile,
        ...(random ? { random } : {}),
      });
      const baseUrl = `http://127.0.0.1:${sandbox.port}/fhir`;
      sandbox.repo.raw.setBaseUrl(baseUrl);
      return {
        sandbox,
        link,
        baseUrl,
        close: async () => {
          await link.close();
          await sandbox.close();
        },
      };
    } catch (error) {
      await sandbox.close();
      // Another process holds that port on 127.0.0.1: try another port.
      if (attempt >= 5 || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
    }
  }
}
