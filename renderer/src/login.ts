// Why: the owner's way in. Order: a token already in this tab (or just taken from `#token=`),
// then the desktop app's token, then the password form if the server allows password login.
// Wrong password, too many attempts (with the Retry-After wait) and an expired login each get
// their own plain message.
import { Api, ApiError } from './api.js';
import { getOwnerToken, setOwnerToken, tokenFromDesktop } from './auth.js';
import { field } from './dialog.js';
import { clear, h } from './dom.js';
import { brand, messageScreen } from './screens.js';
import { AuthConfigSchema, LoginResponseSchema, MeSchema } from './schemas.js';

export type AuthOutcome = { authRequired: boolean };

/** Resolves once the owner is in (a valid token is stored, or auth is off). */
export async function ensureOwner(root: HTMLElement, api: Api, reason?: 'expired' | 'logged_out'): Promise<AuthOutcome> {
  let config: { authRequired: boolean; passwordLogin: boolean };
  for (;;) {
    try {
      config = await api.json(AuthConfigSchema, 'GET', '/api/auth/config');
      break;
    } catch (err) {
      await unreachable(root, err);
    }
  }
  if (!config.authRequired) return { authRequired: false };

  let expired = reason === 'expired';
  if (!reason) {
    const candidates = [getOwnerToken(), await tokenFromDesktop()];
    for (const t of candidates) {
      if (!t) continue;
      setOwnerToken(t);
      try {
        const me = await api.json(MeSchema, 'GET', '/api/auth/me');
        if (me.role === 'owner') return { authRequired: true };
        expired = false; // a share token is no owner login
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) expired = err.code === 'token_expired' || expired;
        else if (err instanceof ApiError && err.status === 0) {
          await unreachable(root, err);
          return ensureOwner(root, api);
        }
      }
      setOwnerToken(null);
    }
  } else if (reason === 'expired') {
    setOwnerToken(null);
    const desktop = await tokenFromDesktop();
    if (desktop) {
      setOwnerToken(desktop);
      return { authRequired: true };
    }
  }
  await loginForm(root, api, config.passwordLogin, expired ? 'expired' : reason);
  return { authRequired: true };
}

function loginForm(root: HTMLElement, api: Api, passwordLogin: boolean, reason?: 'expired' | 'logged_out'): Promise<void> {
  return new Promise((resolve) => {
    clear(root);
    const note =
      reason === 'expired'
        ? h('p', { class: 'notice-box', 'data-reason': 'expired', role: 'alert' }, 'Your login has expired. Please sign in again.')
        : reason === 'logged_out'
          ? h('p', { class: 'notice-box', role: 'status' }, 'You have signed out.')
          : null;
    if (!passwordLogin) {
      root.append(
        messageScreen('owner-link', reason === 'expired' ? 'Your login has expired' : 'Open your owner link',
          h('div', null,
            h('p', null, 'This server has no password login. Open the owner link that `porthole serve` printed:'),
            h('pre', { class: 'code' }, 'Owner link: http://HOST:PORT/#token=…'),
            h('p', { class: 'muted' }, 'Or set a password with ', h('code', null, 'porthole passwd'), ' and restart the server.'))),
      );
      return; // nothing to resolve: the owner link reloads the page
    }
    const password = h('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
    const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
    const submit = h('button', { type: 'submit', class: 'btn primary wide' }, 'Sign in');
    const form = h('form', { class: 'card login', 'aria-labelledby': 'login-title' },
      brand(),
      h('h1', { id: 'login-title' }, 'Sign in to Porthole'),
      note,
      field('Owner password', password),
      error,
      submit,
    );
    root.append(h('section', { class: 'screen screen-login', 'data-screen': 'login' }, form));
    password.focus();
    let lockedUntil = 0;
    let countdown: ReturnType<typeof setInterval> | undefined;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (Date.now() < lockedUntil) return;
      error.textContent = '';
      error.dataset.code = '';
      submit.disabled = true;
      void api
        .json(LoginResponseSchema, 'POST', '/api/auth/login', { password: password.value })
        .then((res) => {
          setOwnerToken(res.token);
          resolve();
        })
        .catch((err: unknown) => {
          submit.disabled = false;
          if (!(err instanceof ApiError)) {
            error.textContent = 'Sign-in failed.';
            return;
          }
          error.dataset.code = err.code;
          if (err.status === 401) {
            error.textContent = 'Wrong password. Try again.';
            password.select();
          } else if (err.status === 429) {
            const wait = err.retryAfter ?? 60;
            lockedUntil = Date.now() + wait * 1000;
            submit.disabled = true;
            const tickText = (): void => {
              const left = Math.max(0, Math.ceil((lockedUntil - Date.now()) / 1000));
              error.textContent = `Too many failed attempts. Try again in ${formatWait(left)}.`;
              if (left === 0) {
                clearInterval(countdown);
                submit.disabled = false;
                error.textContent = 'You can try again now.';
              }
            };
            clearInterval(countdown);
            countdown = setInterval(tickText, 1000);
            tickText();
          } else if (err.status === 0) {
            error.textContent = 'Cannot reach the Porthole server. Is it still running?';
          } else {
            error.textContent = err.message;
          }
        });
    });
  });
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s ? `${m} min ${s} s` : `${m} min`;
}

function unreachable(root: HTMLElement, err: unknown): Promise<void> {
  return new Promise((resolve) => {
    clear(root);
    root.append(
      messageScreen('unreachable', 'Cannot reach the Porthole server',
        err instanceof ApiError && err.status !== 0 ? err.message : 'Check that it is running, then retry.',
        [{ label: 'Retry', primary: true, onClick: () => resolve() }]),
    );
  });
}
