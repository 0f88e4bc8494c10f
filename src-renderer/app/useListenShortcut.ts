// The Listen shortcut: Space (when focus is not in a text field or on a control that Space activates) and
// Ctrl/Cmd+L anywhere: either shows the Listen screen and starts or stops listening. Also the native menu's
// "Listen" command (Electron), which the preload re-dispatches as a DOM event: it only starts, never stops.
import { useEffect } from 'react';
import { APP_COMMAND_EVENT, isAppCommand } from '../../src-preload/contract/appCommands';
import { getAppStore } from '../store/useAppStore';

function isTypingOrControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'AUDIO', 'A'].includes(target.tagName);
}

export function useListenShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey) return;
      const isCtrlL = (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'l';
      const isSpace = event.key === ' ' && !event.ctrlKey && !event.metaKey && !isTypingOrControl(event.target);
      if (!isCtrlL && !isSpace) return;
      event.preventDefault();
      const store = getAppStore().getState();
      store.showScreen('listen');
      store.toggleListening();
    };
    const onCommand = (event: Event) => {
      if (!(event instanceof CustomEvent) || !isAppCommand(event.detail) || event.detail !== 'listen') return;
      const store = getAppStore().getState();
      store.showScreen('listen');
      if (store.listen.phase === 'idle') void store.startListening();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener(APP_COMMAND_EVENT, onCommand);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener(APP_COMMAND_EVENT, onCommand);
    };
  }, []);
}
