import { describe, expect, it } from 'vitest';
import { desktopUnavailableReason } from './desktopAvailability';

describe('desktop availability', () => {
  it('needs the Electron binary', () => {
    expect(desktopUnavailableReason(null, { DISPLAY: ':0' }, 'linux')).toMatch(/Electron binary is not installed/);
  });

  it('needs a display on Linux', () => {
    expect(desktopUnavailableReason('/usr/bin/electron', {}, 'linux')).toMatch(/no display/);
    expect(desktopUnavailableReason('/usr/bin/electron', { WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
    expect(desktopUnavailableReason('/usr/bin/electron', { DISPLAY: ':0' }, 'linux')).toBeNull();
  });

  it('assumes a display on macOS and Windows', () => {
    expect(desktopUnavailableReason('/Applications/Electron.app', {}, 'darwin')).toBeNull();
    expect(desktopUnavailableReason('C:\\electron.exe', {}, 'win32')).toBeNull();
  });
});
