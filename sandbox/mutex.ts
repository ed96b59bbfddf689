/**
 * Serializes FHIR request handling. MemoryRepository's operations are synchronous underneath
 * but a transaction spans many awaits; one queue means no request ever sees half a
 * transaction. Network I/O (body upload, response, injected delays) happens outside it.
 */
export type Mutex = Readonly<{ run: <T>(fn: () => Promise<T>) => Promise<T> }>;

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
