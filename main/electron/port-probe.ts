// Why this exists: choosePort needs to know whether a port is free before the server binds it.
// A real bind-and-release on the same host is the only honest test; kept apart so tests use it.
import net from 'node:net';

/** True if `host:port` can be bound right now (it is released again before resolving). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => {
      probe.close(() => resolve(true));
    });
  });
}
