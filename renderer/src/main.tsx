/** Renderer entry: styles, theme before first paint, the contract client, then the React tree. */
import 'nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import './app.css';
import './record.css';
import './night.css';
import './triage.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClientForWindow } from './client';
import { applyTheme, loadTheme, saveTheme, type Theme } from './theme';

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
})();

const initialTheme = loadTheme(storage);
applyTheme(document.documentElement, initialTheme);
document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');

const onThemeChange = (theme: Theme) => {
  applyTheme(document.documentElement, theme);
  saveTheme(storage, theme);
};

const container = document.getElementById('root');
if (!container) throw new Error('OnScene: #root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <App client={createClientForWindow(window)} initialTheme={initialTheme} onThemeChange={onThemeChange} />
  </StrictMode>,
);
