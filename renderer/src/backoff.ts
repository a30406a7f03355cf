// Why: the event stream and the session socket both reconnect after a network loss; one
// backoff rule (exponential, capped, jittered) keeps them from hammering a restarting server.

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_MAX_MS = 8000;

/** Delay before reconnect attempt `attempt` (0-based): 250 ms, 500 ms, 1 s ... 8 s, ±25 % jitter. */
export function backoffDelay(attempt: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
