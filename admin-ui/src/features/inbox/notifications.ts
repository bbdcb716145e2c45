import { useSyncExternalStore } from 'react';

/** The person turned desktop notifications on in this browser (the browser's permission apart). */
const OPT_IN_KEY = 'parley.inbox.notifications';

export type NotificationsState = 'unsupported' | 'off' | 'on' | 'blocked';

const changeListeners = new Set<() => void>();

function readState(): NotificationsState {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  if (Notification.permission !== 'granted') return 'off';
  return localStorage.getItem(OPT_IN_KEY) === 'on' ? 'on' : 'off';
}

function changed(): void {
  for (const listener of changeListeners) listener();
}

export function useNotificationsState(): NotificationsState {
  return useSyncExternalStore((listener) => {
    changeListeners.add(listener);
    return () => changeListeners.delete(listener);
  }, readState);
}

/** Asks the browser (only ever from a button press) and remembers the choice. */
export async function turnNotificationsOn(): Promise<NotificationsState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  const permission =
    Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission === 'granted') localStorage.setItem(OPT_IN_KEY, 'on');
  changed();
  return readState();
}

export function turnNotificationsOff(): void {
  localStorage.removeItem(OPT_IN_KEY);
  changed();
}

/** Whether a notification would show now: turned on, and the tab hidden. */
export const wouldNotify = (): boolean => readState() === 'on' && document.hidden;

/** Shows a desktop notification while the tab is hidden; a click brings the tab back at `open`. */
export function notify(title: string, body: string, tag: string, open: () => void): void {
  if (!wouldNotify()) return;
  const notification = new Notification(title, { body, tag, icon: '/favicon.svg' });
  notification.onclick = () => {
    window.focus();
    open();
    notification.close();
  };
}
