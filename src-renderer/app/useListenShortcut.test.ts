// The Space rule of the Listen shortcut, on plain element-like objects (no DOM here): Space starts Listen only when
// focus is on no control; a focused Library row, a field, a button, a select, a link, a contenteditable or a dialog
// keeps its own Space.
import { describe, expect, it } from 'vitest';
import { spaceMayListen, type ShortcutTarget } from './useListenShortcut';

function el(tagName: string, attributes: Record<string, string> = {}, parent: ShortcutTarget | null = null, isContentEditable = false): ShortcutTarget {
  return { tagName, isContentEditable, parentElement: parent, getAttribute: (name) => attributes[name] ?? null };
}

const html = el('HTML');
const body = el('BODY', {}, html);
const main = el('MAIN', { tabindex: '-1' }, body);

describe('spaceMayListen', () => {
  it('lets Space start Listen when nothing is focused or focus is on plain content', () => {
    expect(spaceMayListen(null)).toBe(true);
    expect(spaceMayListen(body)).toBe(true);
    expect(spaceMayListen(el('P', {}, el('DIV', {}, main)))).toBe(true);
  });

  it('leaves Space to a focused Library row and to anything inside the table', () => {
    const table = el('DIV', { role: 'table' }, main);
    const row = el('DIV', { role: 'row', tabindex: '0' }, table);
    expect(spaceMayListen(row)).toBe(false);
    expect(spaceMayListen(el('SPAN', {}, row))).toBe(false);
    expect(spaceMayListen(el('TR', {}, el('TABLE', { role: 'grid' }, body)))).toBe(false);
  });

  it('leaves Space to fields, buttons, selects, links, contenteditables, dialogs and custom focusable controls', () => {
    for (const tag of ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY', 'AUDIO', 'DIALOG']) expect(spaceMayListen(el(tag, {}, main)), tag).toBe(false);
    expect(spaceMayListen(el('SPAN', {}, el('BUTTON', {}, main)))).toBe(false);
    expect(spaceMayListen(el('DIV', {}, main, true))).toBe(false);
    expect(spaceMayListen(el('DIV', { contenteditable: 'true' }, main))).toBe(false);
    expect(spaceMayListen(el('P', {}, el('DIV', { role: 'dialog', 'aria-modal': 'true' }, body)))).toBe(false);
    expect(spaceMayListen(el('DIV', { 'aria-modal': 'true' }, body))).toBe(false);
    expect(spaceMayListen(el('DIV', { role: 'button' }, main))).toBe(false);
    expect(spaceMayListen(el('DIV', { tabindex: '0' }, main))).toBe(false);
    expect(spaceMayListen(el('LI', { role: 'option' }, el('UL', { role: 'listbox' }, main)))).toBe(false);
  });
});
