// Keep listening's desktop notifications through the web Notifications API: the same code in Electron's renderer
// (its permission policy allows notifications to the app's own page) and in the browser host (the browser asks the
// user; a page served over http://127.0.0.1 counts as a secure context). Browser-only.
import type { Notifier } from '../../store/types';

const supported = (): boolean => typeof window !== 'undefined' && 'Notification' in window;

export const browserNotifier: Notifier = {
  permission: () => (supported() ? Notification.permission : 'unsupported'),
  async request() {
    if (!supported()) return 'unsupported';
    try {
      return await Notification.requestPermission();
    } catch {
      return Notification.permission;
    }
  },
  show(title, body) {
    if (!supported() || Notification.permission !== 'granted') return;
    try {
      new Notification(title, { body, tag: 'audio-ident-keep-listening', silent: true });
    } catch {
      // Some platforms refuse notifications from a page (e.g. Android Chrome wants a service worker): the log still has it.
    }
  },
};
