import { contextBridge, ipcRenderer } from 'electron';

// The whole surface the page gets: one call channel and one event channel (no Node, no ipcRenderer).
contextBridge.exposeInMainWorld('onscene', {
  call: (envelope: unknown) => ipcRenderer.invoke('onscene:call', envelope),
  onEvent: (callback: (name: string, payload: unknown) => void) => {
    const listener = (_event: unknown, name: string, payload: unknown) => callback(name, payload);
    ipcRenderer.on('onscene:event', listener);
    return () => ipcRenderer.removeListener('onscene:event', listener);
  },
});
