import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererFile } from './protocolPath';

describe('app:// protocol paths stay inside dist/renderer', () => {
  const root = '/opt/OnScene/resources/app.asar/dist/renderer';
  it('serves index.html for the root and files below the folder', () => {
    expect(resolveRendererFile(root, 'app://onscene/')).toEqual({ file: `${root}/index.html` });
    expect(resolveRendererFile(root, 'app://onscene/index.html')).toEqual({ file: `${root}/index.html` });
    expect(resolveRendererFile(root, 'app://onscene/assets/index-abc.js?v=1#x')).toEqual({ file: `${root}/assets/index-abc.js` });
    expect(resolveRendererFile(root, 'app://onscene/assets/nhs%20logo.svg')).toEqual({ file: `${root}/assets/nhs logo.svg` });
  });
  // The URL parser itself resolves literal and %2e dot segments against the root: what is left is inside the folder.
  it.each(['app://onscene/../../../etc/passwd', 'app://onscene/%2e%2e/%2e%2e/etc/passwd', 'app://onscene/a/../../b', 'app://onscene//etc/passwd'])(
    'keeps %s inside the folder',
    (url) => {
      const result = resolveRendererFile(root, url);
      expect('file' in result && result.file.startsWith(`${root}/`) && !result.file.includes('..')).toBe(true);
    },
  );
  it.each([
    'app://onscene/assets/%2E%2E%2F%2E%2E%2Fsecret',
    'app://onscene/%252e%252e%252fetc%252fpasswd',
    'app://onscene/..%5c..%5cWindows%5cwin.ini',
    'app://onscene/assets\\..\\..\\keys.json',
    'app://onscene/%00index.html',
    'app://onscene/index.html%00.js',
    'app://onscene/C:/Windows/win.ini',
    'app://onscene/C%3A%5CWindows%5Cwin.ini',
    'app://onscene/assets/%0a',
    'app://evil/index.html',
    'app://onscene.evil.example/index.html',
    'app://onscene:8080/index.html',
    'app://user:pw@onscene/index.html',
    'file:///etc/passwd',
    'https://onscene/index.html',
  ])('refuses %s', (url) => {
    expect(resolveRendererFile(root, url)).toEqual({ status: 404 });
  });
  it.each(['app://onscene/%', 'app://onscene/%E0%A4%A', 'not a url', ''])('answers 400, without throwing, for %s', (url) => {
    expect(resolveRendererFile(root, url)).toEqual({ status: 400 });
  });
  it('holds with Windows paths too (backslash and drive letters are separators there)', () => {
    const winRoot = 'C:\\Program Files\\OnScene\\resources\\app.asar\\dist\\renderer';
    expect(resolveRendererFile(winRoot, 'app://onscene/assets/a.js', path.win32)).toEqual({ file: `${winRoot}\\assets\\a.js` });
    for (const url of ['app://onscene/..%5c..%5ckeys.json', 'app://onscene/C:/Windows/win.ini', 'app://onscene/%5c%5cserver%5cshare', 'app://onscene/assets/%2e%2e%5c%2e%2e%5ckeys.json']) {
      expect(resolveRendererFile(winRoot, url, path.win32)).toEqual({ status: 404 });
    }
  });
});
