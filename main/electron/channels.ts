/** The only two IPC channels between the page and main: the contract's calls, and its events. */
export const CALL_CHANNEL = 'onscene:call';
export const EVENT_CHANNEL = 'onscene:event';
