import { createServer } from 'node:net';

/** A port another process holds: what wanted it, and how to free or change it. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';
  constructor(
    readonly port: number,
    owner: string,
  ) {
    super(
      `${owner} cannot listen on 127.0.0.1:${port}: the port is in use. Fix: stop what listens there (\`ss -ltnp 'sport = :${port}'\` shows it), or choose another port.`,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Fails at once when `port` is taken, before a server is started on it: a server that cannot bind
 * may otherwise be mistaken for one that is up (another process answers on the port) or be
 * waited for until a timeout.
 */
export async function assertPortFree(port: number, owner: string, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, owner) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
