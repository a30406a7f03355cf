// The size policy (contract section 9): the PTY follows the owner client active last; when it
// leaves, the next most recent one's size applies; clients that never told a size set none.
import { describe, expect, it } from 'vitest';
import { SizeArbiter, SizePolicies, type Size } from '../../main/server/sessions/size-policy.js';

function arbiter() {
  const applied: string[] = [];
  const a = new SizeArbiter(({ cols, rows }: Size) => applied.push(`${cols}x${rows}`));
  return { a, applied, last: () => applied[applied.length - 1] };
}

describe('SizeArbiter', () => {
  it('the latest resize wins; typing makes a client latest again', () => {
    const { a, applied, last } = arbiter();
    const cli = a.join();
    const panel = a.join();
    cli.resized(90, 25);
    panel.resized(120, 46);
    expect(last()).toBe('120x46');
    cli.active(); // typed in the CLI
    expect(last()).toBe('90x25');
    cli.active(); // still latest: nothing new
    expect(applied).toEqual(['90x25', '120x46', '90x25']);
    panel.resized(120, 46); // the panel is focused again (it re-sends its size)
    expect(last()).toBe('120x46');
  });

  it('when the latest leaves, the next most recent size comes back; others leaving change nothing', () => {
    const { a, applied, last } = arbiter();
    const cli = a.join();
    const desktop = a.join();
    const panel = a.join();
    cli.resized(90, 25);
    desktop.resized(100, 30);
    panel.resized(120, 46);
    desktop.leave(); // not latest
    expect(last()).toBe('120x46');
    panel.leave();
    expect(last()).toBe('90x25'); // the desktop window left first, so the CLI is next
    cli.leave();
    expect(applied).toEqual(['90x25', '100x30', '120x46', '90x25']);
    expect(a.size).toBe(0);
  });

  it('a client that never told its size neither sets one nor is picked when the latest leaves', () => {
    const { a, applied, last } = arbiter();
    const silent = a.join();
    const cli = a.join();
    silent.active();
    expect(applied).toEqual([]);
    cli.resized(80, 24);
    const panel = a.join();
    panel.resized(120, 40);
    silent.active();
    expect(last()).toBe('120x40');
    panel.leave();
    expect(last()).toBe('80x24');
  });

  it('a seat is inert after leave (a late frame from a closing socket)', () => {
    const { a, applied } = arbiter();
    const s = a.join();
    s.leave();
    s.resized(10, 10);
    s.active();
    s.leave();
    expect(applied).toEqual([]);
  });
});

describe('SizePolicies', () => {
  it('keeps one arbiter per session with owner clients, and drops it when the last leaves', () => {
    const applied: string[] = [];
    const p = new SizePolicies((id, { cols, rows }) => applied.push(`${id}:${cols}x${rows}`));
    const a1 = p.join('a');
    const b1 = p.join('b');
    a1.resized(80, 24);
    b1.resized(100, 30);
    expect(applied).toEqual(['a:80x24', 'b:100x30']);
    expect(p.sessions).toBe(2);
    a1.leave();
    b1.leave();
    expect(p.sessions).toBe(0);
  });
});
