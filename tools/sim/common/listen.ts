import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

/** A simulator bound to a port. */
export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0 → ephemeral) on loopback unless `host` says otherwise. */
export function listenApp(app: Express, port: number, host: string, onClose: () => void): Promise<RunningSimulator> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) {
        reject(error);
        return;
      }
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            onClose();
            // Requests held by a `timeout` fault would otherwise keep the server open.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
