// Why: the API takes a command as an argv array, never a shell string; the New session form
// splits what the user typed with POSIX-shell-like quoting (single quotes literal, double
// quotes with \" \\ \$ \` escapes, backslash outside quotes), and runs no shell.

export class ArgvError extends Error {}

export function splitArgv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const s = text;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new ArgvError('Unclosed single quote');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < s.length) {
        const d = s[i];
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) {
          cur += s[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      if (!closed) throw new ArgvError('Unclosed double quote');
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new ArgvError('Trailing backslash');
      if (s[i + 1] !== '\n') cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** The reverse, for display: quote words that need it. */
export function joinArgv(argv: string[]): string {
  return argv.map((a) => (a === '' ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
