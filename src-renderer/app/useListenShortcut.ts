// The Listen shortcut: Space (when focus is not in a text field or on a control that Space activates) and
// Ctrl/Cmd+L anywhere. Either shows the Listen screen and starts or stops listening.
import { useEffect } from 'react';
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
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
