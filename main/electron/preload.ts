import { contextBridge, ipcRenderer } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

// The whole surface the page gets: one call channel and one event channel (no Node, no
// ipcRenderer, no IPC event object: only the event's name and payload reach the page).
contextBridge.exposeInMainWorld('onscene', {
  call: (envelope: unknown) => ipcRenderer.invoke(CALL_CHANNEL, envelope),
  onEvent: (callback: (name: string, payload: unknown) => void) => {
    const listener = (_event: unknown, name: unknown, payload: unknown) => {
      if (typeof name === 'string') callback(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
});
