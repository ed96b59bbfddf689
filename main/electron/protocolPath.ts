import path from 'node:path';

/** The renderer's custom scheme and host: `app://onscene/…` (a standard, secure scheme; never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'onscene';

export type RendererFile = Readonly<{ file: string }> | Readonly<{ status: 400 | 404 }>;

type PathApi = Pick<typeof path.posix, 'resolve' | 'sep' | 'isAbsolute'>;

/**
 * Maps an `app://onscene/<path>` request to a file inside `rendererDir`, or refuses it. Pure (no
 * file system) so hostile URLs are tested in plain Node, with both path flavours: a request may
 * not leave the folder by `..`, encoded or doubly encoded dots, backslashes (a separator on
 * Windows), drive letters, NUL bytes or another host. Issue #10: a malformed escape is a 400,
 * never an exception in the main process.
 */
export function resolveRendererFile(rendererDir: string, requestUrl: string, pathApi: PathApi = path): RendererFile {
  let url: URL;
  let decoded: string;
  try {
    url = new URL(requestUrl);
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return { status: 404 };
  // After one decode nothing may still look like an escape, a separator other than '/', or a control character.
  if (/[\\\0%:]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) return { status: 404 };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..')) return { status: 404 };
  const relative = segments.length === 0 ? 'index.html' : segments.join(pathApi.sep);
  if (pathApi.isAbsolute(relative)) return { status: 404 };
  const root = pathApi.resolve(rendererDir);
  const file = pathApi.resolve(root, relative);
  return file.startsWith(root + pathApi.sep) ? { file } : { status: 404 };
}
