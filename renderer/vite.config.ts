/**
 * Renderer build: `npx vite build -c renderer/vite.config.ts` -> dist/renderer/ at the repo root.
 * base './' so the same files load under Electron (file:/app: protocol) and the web shell.
 * No @vitejs/plugin-react: Vite's own oxc transform compiles TSX with the automatic JSX runtime.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The app must work with no network at all. nhsuk-frontend's compiled CSS loads the Frutiger
 * web font from assets.nhs.uk and icons from an absolute /assets/images/ path: drop the remote
 * @font-face rules (app.css names system fonts) and point the icons at the package's own files,
 * which Vite then bundles.
 */
function nhsukOffline(): Plugin {
  return {
    name: 'onscene:nhsuk-offline',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!file.includes('nhsuk-frontend') || !file.endsWith('.css')) return null;
      const offline = code
        .replace(/@font-face\s*\{[^}]*assets\.nhs\.uk[^}]*\}/g, '')
        .replace(/url\(\s*(["']?)\/assets\/images\//g, 'url($1./assets/images/')
        .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
      return { code: offline, map: null };
    },
  };
}

/**
 * Strict CSP for the built page (the shells also send it as a header). Dev-server builds are left
 * alone because Vite's dev client injects styles inline.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'onscene:csp',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }];
    },
  };
}

/** Fails the build if anything in the output still points at the network. */
function noNetworkResources(): Plugin {
  return {
    name: 'onscene:no-network-resources',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const [name, output] of Object.entries(bundle)) {
        if (!name.endsWith('.css') && !name.endsWith('.html')) continue;
        const text = output.type === 'asset' ? String(output.source) : output.code;
        const remote = /url\(\s*["']?(?:https?:)?\/\/[^)]*\)|<(?:link|script|img)[^>]+(?:href|src)=["'](?:https?:)?\/\//i.exec(text);
        if (remote) this.error(`${name} references a network resource: ${remote[0].slice(0, 120)}`);
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [nhsukOffline(), contentSecurityPolicy(), noNetworkResources()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // nhsuk-frontend ships minified CSS with old-IE hacks (`@media screen\0`) that lightningcss's
    // minifier rejects; it is already minified, so skip CSS minification rather than rewrite it.
    cssMinify: false,
    // Keep every asset a file: inlined data: URLs are fine under our CSP, but files are easier to audit.
    assetsInlineLimit: 0,
  },
});
