// The one line a failed command prints: a refusal keeps its code (users search for it), but a
// fault of ours never shows "(internal)", which says nothing a user can act on.
import { describe, expect, it } from 'vitest';
import { PortholeError, UsageError } from '../../common/errors.js';
import { errorLine } from '../../main/cli/exit.js';

describe('errorLine', () => {
  it('has no "(internal)" in user lines', () => {
    expect(errorLine(new PortholeError('internal', 'the server is stopping; the session ends with it'))).toBe('the server is stopping; the session ends with it');
  });
  it('keeps the code of a refusal, and a usage line as it is', () => {
    expect(errorLine(new PortholeError('session_not_found'))).toBe('No such session (session_not_found)');
    expect(errorLine(new UsageError('--port "x": expected a port'))).toBe('--port "x": expected a port');
  });
});
