import { type AppErrorShape } from './errors';

/** The envelope every contract call answers with: raw exceptions never cross a shell. */
export type Result<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: AppErrorShape }>;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppErrorShape): Result<never> => ({ ok: false, error });
