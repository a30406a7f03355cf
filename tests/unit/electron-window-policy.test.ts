import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appPageUrl,
  navigationDecision,
  originOf,
  permissionDecision,
  SESSION_QUERY_PARAM,
  sessionPageUrl,
  VERSION_ARG_PREFIX,
  windowOpenDecision,
  windowOptions,
} from '../../main/electron/window-policy.js';

const APP = 'http://127.0.0.1:4022';

describe('windowOptions', () => {
  const o = windowOptions('/app/dist/preload/index.cjs', { version: '1.2.3' });
  const w = o.webPreferences!;

  it('isolates and sandboxes the page, with no Node anywhere', () => {
    expect(w.contextIsolation).toBe(true);
    expect(w.sandbox).toBe(true);
    expect(w.nodeIntegration).toBe(false);
    expect(w.nodeIntegrationInWorker).toBe(false);
    expect(w.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and turns off what the page does not need', () => {
    expect(w.webSecurity).toBe(true);
    expect(w.allowRunningInsecureContent).toBe(false);
    expect(w.webviewTag).toBe(false);
    expect(w.navigateOnDragDrop).toBe(false);
  });

  it('loads the given preload and passes the version to it', () => {
    expect(w.preload).toBe('/app/dist/preload/index.cjs');
    expect(w.additionalArguments).toEqual([`${VERSION_ARG_PREFIX}1.2.3`]);
  });

  it('starts hidden (shown on ready-to-show) and sets the icon only when given', () => {
    expect(o.show).toBe(false);
    expect(o.icon).toBeUndefined();
    expect(windowOptions('/p', { version: '1', iconPath: '/i.png' }).icon).toBe('/i.png');
  });
});

describe('navigationDecision', () => {
  it('allows the app origin, whatever the path, query or fragment', () => {
    expect(navigationDecision(`${APP}/`, APP)).toBe('allow');
    expect(navigationDecision(`${APP}/s/abc#tok`, APP)).toBe('allow');
    expect(navigationDecision(`${APP}/?s=x`, APP)).toBe('allow');
  });

  it('sends other web sites to the browser, including look-alike origins', () => {
    expect(navigationDecision('https://example.com/', APP)).toBe('external');
    expect(navigationDecision('http://127.0.0.1:4023/', APP)).toBe('external');
    expect(navigationDecision('https://127.0.0.1:4022/', APP)).toBe('external');
    expect(navigationDecision('http://localhost:4022/', APP)).toBe('external');
    expect(navigationDecision('http://127.0.0.1.evil.com:4022/', APP)).toBe('external');
    expect(navigationDecision('http://127.0.0.1:4022.evil.com/', APP)).toBe('deny'); // not a URL at all
  });

  it('denies every other scheme and anything unparsable', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'vscode://file/x',
      'ms-msdt:/id',
      'smb://host/share',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(navigationDecision(url, APP), url).toBe('deny');
    }
  });

  it('does not open URLs with credentials in the browser', () => {
    expect(navigationDecision('https://user:pw@example.com/', APP)).toBe('deny');
  });

  it('applies the same rule to window.open', () => {
    expect(windowOpenDecision(`${APP}/s/x`, APP)).toBe('allow');
    expect(windowOpenDecision('https://github.com/', APP)).toBe('external');
    expect(windowOpenDecision('file:///tmp', APP)).toBe('deny');
  });
});

describe('permissionDecision', () => {
  it('denies every permission, even to the app origin', () => {
    for (const p of ['media', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'geolocation', 'openExternal', 'hid', 'serial', 'usb', 'fullscreen', 'unknown']) {
      expect(permissionDecision(p, `${APP}/`, APP), p).toBe(false);
      expect(permissionDecision(p, 'https://evil.example/', APP), p).toBe(false);
    }
  });
});

describe('page URLs', () => {
  it('originOf gives the origin or null', () => {
    expect(originOf('http://127.0.0.1:4022/a?b#c')).toBe(APP);
    expect(originOf('file:///x')).toBeNull();
    expect(originOf('nope')).toBeNull();
  });

  it('builds the control panel and session URLs on the same origin', () => {
    expect(appPageUrl(APP)).toBe(`${APP}/`);
    expect(appPageUrl(`${APP}/s/x#t`)).toBe(`${APP}/`);
    expect(sessionPageUrl(APP, 'abc_DEF-1')).toBe(`${APP}/?s=abc_DEF-1`);
    expect(sessionPageUrl(APP, 'a&b=c')).toBe(`${APP}/?s=a%26b%3Dc`);
    expect(navigationDecision(sessionPageUrl(APP, 'x'), APP)).toBe('allow');
  });

  it('selects the session with the query parameter the control panel itself reads', () => {
    // The tray's Open / New session rely on it; the panel keeps `/?s=<id>` across reloads.
    const panel = readFileSync(path.resolve(import.meta.dirname, '../../renderer/src/panel.ts'), 'utf8');
    expect(panel).toContain(`URLSearchParams(location.search).get('${SESSION_QUERY_PARAM}')`);
  });
});
