// The native menu template: the items the issue asks for, their actions, Listen's shortcut, and dev-only reload.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from './menu.js';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}
const actions = () => ({ addFolder: vi.fn(), rescan: vi.fn(), listen: vi.fn(), about: vi.fn() });

describe('buildMenuTemplate', () => {
  it('has File (Add Folder…, Rescan), View (Listen with Ctrl/Cmd+L) and Help (About), wired to the actions', () => {
    const a = actions();
    const template = buildMenuTemplate({ platform: 'linux', isDev: false, appName: 'audio-ident' }, a);
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const items = new Map(
      flatten(template)
        .filter((i) => i.id)
        .map((i) => [i.id!, i]),
    );
    for (const [id, action] of [
      ['add-folder', a.addFolder],
      ['rescan', a.rescan],
      ['listen', a.listen],
      ['about', a.about],
    ] as const) {
      const item = items.get(id);
      expect(item, id).toBeDefined();
      (item!.click as () => void)();
      expect(action, id).toHaveBeenCalledTimes(1);
    }
    expect(items.get('listen')).toMatchObject({ label: 'Listen', accelerator: 'CmdOrCtrl+L' });
    expect(items.get('about')!.label).toBe('About audio-ident');
  });

  it('offers reload and developer tools in development only', () => {
    const roles = (isDev: boolean) =>
      flatten(buildMenuTemplate({ platform: 'linux', isDev, appName: 'a' }, actions()))
        .map((i) => i.role)
        .filter(Boolean);
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('forceReload');
    expect(roles(false)).not.toContain('toggleDevTools');
  });

  it('follows macOS conventions there (app menu first, Window menu, Close instead of Quit)', () => {
    const template = buildMenuTemplate({ platform: 'darwin', isDev: false, appName: 'audio-ident' }, actions());
    expect(template[0]).toMatchObject({ role: 'appMenu' });
    const roles = flatten(template).map((i) => i.role);
    expect(roles).toContain('windowMenu');
    expect(roles).toContain('close');
    expect(roles).not.toContain('quit');
  });
});
