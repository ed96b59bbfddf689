import { createHash } from 'node:crypto';

/** Page title the app's end-to-end tests (and screen readers) find the sign-in page by. */
export const LOGIN_TITLE = 'Sign in — Sandbox identity provider';
export const LOGIN_ERROR = 'Username or password is wrong.';

// Large targets, visible focus, high contrast and a dark scheme: the page is used in a moving vehicle
// (CONVENTIONS "UI"). Plain CSS only: the provider serves no external assets and no script.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1.1875rem/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;background:#f0f4f5}
main{max-width:30rem;margin:2rem auto;padding:1.5rem;background:#fff;border-top:6px solid #005eb8}
h1{font-size:2rem;margin:0 0 .5rem}
p{margin:0 0 1.25rem}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
input{display:block;width:100%;min-height:44px;padding:.5rem;font:inherit;color:inherit;background:#fff;border:2px solid #4c6272}
input[aria-invalid=true]{border-color:#d5281b}
button{display:block;width:100%;min-height:44px;margin-top:1.5rem;padding:.5rem 1rem;font:inherit;font-weight:700;color:#fff;background:#007f3b;border:0;border-bottom:4px solid #00401e;cursor:pointer}
input:focus,button:focus{outline:4px solid #ffeb3b;outline-offset:0;box-shadow:0 0 0 8px #212b32}
.error{margin:0 0 1rem;padding:.75rem 1rem;font-weight:700;color:#d5281b;border:4px solid #d5281b}
@media (prefers-color-scheme:dark){
body{color:#f0f4f5;background:#0b0c0c}
main{background:#212b32;border-top-color:#41b6e6}
input{color:#f0f4f5;background:#0b0c0c;border-color:#aeb7bd}
.error{color:#ff8a80;border-color:#ff8a80}
}`;

// The style is the page's only inline content, so the CSP allows exactly it (by hash) and nothing else.
// No form-action: Chromium applies it to the redirects that follow the POST, and the last one goes to
// the app's loopback port (RFC 8252 §7.3), which no static source list can name.
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`;

/** Headers for every page the provider renders itself: no caching, no framing, no sniffing. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CSP,
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type LoginForm = Readonly<{ action: string; username?: string; isWrong?: boolean }>;

/** The sign-in form; after a wrong pair it keeps the username and says what went wrong. */
export function renderLoginPage(form: LoginForm): string {
  const invalid = form.isWrong ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
  const error = form.isWrong ? `<p class="error" id="sign-in-error" role="alert">${escapeHtml(LOGIN_ERROR)}</p>\n` : '';
  return page(LOGIN_TITLE, `<h1>Sign in</h1>
<p>Sandbox identity provider for OnScene development. Demo users only: synthetic, never real credentials.</p>
${error}<form method="post" action="${escapeHtml(form.action)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" value="${escapeHtml(form.username ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
<button type="submit">Sign in</button>
</form>`);
}

/** A page that says what happened and what to do; `detail` is shown as text, never as markup. */
export function renderMessagePage(heading: string, detail: string, next: string): string {
  return page(`${heading} — Sandbox identity provider`, `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(detail)}</p>
<p>${escapeHtml(next)}</p>`);
}

/** RP-initiated logout confirmation; `form` is oidc-provider's own hidden-input form (with its anti-forgery value). */
export function renderLogoutPage(form: string): string {
  return page('Sign out — Sandbox identity provider', `<h1>Sign out</h1>
<p>Do you want to sign out of the sandbox identity provider?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
}
