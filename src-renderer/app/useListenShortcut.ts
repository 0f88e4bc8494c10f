// The Listen shortcut: Space (only when focus is on no control: see spaceMayListen) and
// Ctrl/Cmd+L anywhere: either shows the Listen screen and starts or stops listening. Also the native menu's
// "Listen" command (Electron), which the preload re-dispatches as a DOM event: it only starts, never stops.
import { useEffect } from 'react';
import { APP_COMMAND_EVENT, isAppCommand } from '../../src-preload/contract/appCommands';
import { getAppStore } from '../store/useAppStore';

/** The part of an Element the Space rule looks at (an HTMLElement has it; tests pass plain objects). */
export interface ShortcutTarget {
  readonly tagName: string;
  readonly isContentEditable?: boolean;
  readonly parentElement: ShortcutTarget | null;
  getAttribute(name: string): string | null;
}

/** Elements on which (or inside which) Space types, activates, toggles or scrolls something of their own. */
const OWN_SPACE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'BUTTON', 'A', 'AUDIO', 'VIDEO', 'SUMMARY', 'DETAILS', 'LABEL', 'DIALOG']);
const OWN_SPACE_ROLES = new Set([
  'row',
  'table',
  'grid',
  'gridcell',
  'cell',
  'treegrid',
  'tree',
  'treeitem',
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'option',
  'menu',
  'menubar',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'tab',
  'tablist',
  'dialog',
  'alertdialog',
]);

/**
 * Whether Space pressed with focus on `target` may start Listen: only when focus is on no control at all (the page
 * itself, or plain text). Never in a field, a button, a select, a link, a table or one of its rows, a
 * contenteditable, a dialog, or anything the page made focusable (tabindex >= 0), nor inside one of them.
 */
export function spaceMayListen(target: ShortcutTarget | null): boolean {
  for (let el = target; el; el = el.parentElement) {
    if (typeof el.tagName !== 'string') return true; // the document or the window: nothing is focused
    if (el.isContentEditable) return false;
    if (OWN_SPACE_TAGS.has(el.tagName.toUpperCase())) return false;
    const role = el.getAttribute('role');
    if (role && role.split(/\s+/).some((r) => OWN_SPACE_ROLES.has(r.toLowerCase()))) return false;
    if (el.getAttribute('aria-modal') === 'true') return false;
    const contentEditable = el.getAttribute('contenteditable');
    if (contentEditable !== null && contentEditable.toLowerCase() !== 'false') return false;
    const tabIndex = el.getAttribute('tabindex');
    if (tabIndex !== null && Number(tabIndex) >= 0) return false;
  }
  return true;
}

function asShortcutTarget(target: EventTarget | null): ShortcutTarget | null {
  return typeof Element !== 'undefined' && target instanceof Element ? target : null;
}

export function useListenShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey) return;
      const isCtrlL = (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'l';
      const isSpace =
        event.key === ' ' && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.defaultPrevented && spaceMayListen(asShortcutTarget(event.target));
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
