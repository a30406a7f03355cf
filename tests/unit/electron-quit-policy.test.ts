import { describe, expect, it } from 'vitest';
import { quitConfirmed, quitDecision, quitDialog, SHUTDOWN_DEADLINE_MS, SHUTDOWN_SIGNALS, windowCloseAction } from '../../main/electron/quit-policy.js';

const base = { runningSessions: 0, asking: false, shuttingDown: false, closed: false };

describe('quitDecision', () => {
  it('shuts down without asking when nothing is running', () => {
    expect(quitDecision(base)).toBe('shutdown');
  });

  it('asks first when sessions are running', () => {
    expect(quitDecision({ ...base, runningSessions: 2 })).toBe('ask');
  });

  it('waits while the question is open or a shutdown is under way (no second dialog)', () => {
    expect(quitDecision({ ...base, runningSessions: 2, asking: true })).toBe('wait');
    expect(quitDecision({ ...base, runningSessions: 2, shuttingDown: true })).toBe('wait');
  });

  it('lets the quit through once the server is closed', () => {
    expect(quitDecision({ ...base, runningSessions: 3, shuttingDown: true, closed: true })).toBe('proceed');
  });

  it('a signal never asks: it shuts down, even over a question already on screen', () => {
    const signal = { interactive: false };
    expect(quitDecision({ ...base, runningSessions: 2 }, signal)).toBe('shutdown');
    expect(quitDecision({ ...base, runningSessions: 2, asking: true }, signal)).toBe('shutdown');
    expect(quitDecision({ ...base, shuttingDown: true }, signal)).toBe('wait');
    expect(quitDecision({ ...base, shuttingDown: true, closed: true }, signal)).toBe('proceed');
    expect(SHUTDOWN_SIGNALS).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
  });

  it('keeps within the contract 5 s shutdown', () => {
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThanOrEqual(5000);
  });
});

describe('quit dialog', () => {
  it('counts the sessions and says what quitting does; Cancel is the default', () => {
    const one = quitDialog(1);
    expect(one.message).toBe('1 session is running. Quit Porthole?');
    expect(one.detail).toContain('ends its shell');
    const many = quitDialog(3);
    expect(many.message).toBe('3 sessions are running. Quit Porthole?');
    expect(many.buttons).toEqual(['Quit', 'Cancel']);
    expect(many.defaultId).toBe(1);
    expect(many.cancelId).toBe(1);
  });

  it('only the Quit button confirms', () => {
    expect(quitConfirmed(0)).toBe(true);
    expect(quitConfirmed(1)).toBe(false);
    expect(quitConfirmed(-1)).toBe(false);
  });
});

describe('windowCloseAction', () => {
  it('hides to the tray, closes while quitting, quits when there is no tray', () => {
    expect(windowCloseAction({ quitting: false, hasTray: true })).toBe('hide');
    expect(windowCloseAction({ quitting: true, hasTray: true })).toBe('close');
    expect(windowCloseAction({ quitting: false, hasTray: false })).toBe('quit');
  });
});
