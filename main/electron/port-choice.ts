// Why this exists: the desktop app wants port 4022, but another Porthole (or anything else)
// may hold it. Rather than fail silently, the app says so plainly and offers a free port.
// The search and the dialog's words are pure here; main.ts only shows the dialog.

/** The port the desktop app tries first (the same default as `porthole serve`). */
export const DEFAULT_DESKTOP_PORT = 4022;
/** How many ports after the preferred one are tried before asking the OS for any free port. */
export const PORT_SEARCH_SPAN = 10;
const MAX_PORT = 65535;

/** `port: 0` in an alternative means "any free port the system picks". */
export type PortChoice =
  | { kind: 'preferred'; port: number }
  | { kind: 'alternative'; preferred: number; port: number };

/** Tries `preferred`, then the next PORT_SEARCH_SPAN ports, then falls back to port 0. */
export async function choosePort(
  preferred: number,
  isFree: (port: number) => Promise<boolean>,
  span: number = PORT_SEARCH_SPAN,
): Promise<PortChoice> {
  if (!Number.isInteger(preferred) || preferred < 1 || preferred > MAX_PORT) {
    throw new TypeError(`preferred port must be an integer in 1..${MAX_PORT}, got ${String(preferred)}`);
  }
  if (await isFree(preferred)) return { kind: 'preferred', port: preferred };
  for (let p = preferred + 1; p <= Math.min(preferred + span, MAX_PORT); p++) {
    if (await isFree(p)) return { kind: 'alternative', preferred, port: p };
  }
  return { kind: 'alternative', preferred, port: 0 };
}

/** The plain data of an Electron message box (dialog.showMessageBox's options). */
export interface MessageBoxSpec {
  type: 'none' | 'info' | 'error' | 'question' | 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
}

function portWords(port: number): string {
  return port === 0 ? 'any free port' : `port ${port}`;
}

/** The dialog shown when the preferred port is taken. Button 0 uses the alternative, 1 quits. */
export function portInUseDialog(choice: Extract<PortChoice, { kind: 'alternative' }>): MessageBoxSpec {
  const other = portWords(choice.port);
  return {
    type: 'warning',
    title: 'Porthole',
    message: `Port ${choice.preferred} is already in use.`,
    detail:
      `Another program is listening on 127.0.0.1:${choice.preferred}, perhaps another Porthole or ` +
      `\`porthole serve\`. Porthole can use ${other} instead; share links will carry the new port. ` +
      `To keep ${choice.preferred}, quit, stop the other program and start Porthole again.`,
    buttons: [choice.port === 0 ? 'Use any free port' : `Use port ${choice.port}`, 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  };
}

export type PortOutcome = { action: 'listen'; port: number } | { action: 'quit' };

/** What to do given the choice and, when a dialog was shown, the button the user pressed. */
export function portOutcome(choice: PortChoice, response?: number): PortOutcome {
  if (choice.kind === 'preferred') return { action: 'listen', port: choice.port };
  return response === 0 ? { action: 'listen', port: choice.port } : { action: 'quit' };
}

/** The dialog shown when the server cannot start at all (bad data dir, a port lost to a race). */
export function startFailedDialog(reason: string): MessageBoxSpec {
  return {
    type: 'error',
    title: 'Porthole',
    message: 'Porthole could not start its server.',
    detail: reason.trim() === '' ? 'No reason was given.' : reason,
    buttons: ['Quit'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}
