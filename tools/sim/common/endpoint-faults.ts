import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { TimerSet } from './timers';

/** `POST /admin/faults`: the next `count` calls of `endpoint` misbehave. */
export const endpointFaultSchema = z.object({
  endpoint: z.string().startsWith('/'),
  kind: z.enum(['latency', 'error500', 'timeout', 'malformed']),
  count: z.number().int().min(1),
  latencyMs: z.number().int().min(0).optional(),
});
export type EndpointFault = z.infer<typeof endpointFaultSchema>;

/** How long a `timeout` fault holds the connection before dropping it unanswered. */
const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
const DEFAULT_LATENCY_MS = 1_000;

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, i) => segment.startsWith(':') || segment === got[i]);
}

/** Armed endpoint faults, consumed one call at a time. */
export class EndpointFaults {
  private armed: EndpointFault[] = [];

  add(fault: EndpointFault): void {
    this.armed.push({ ...fault });
  }

  /** The fault that applies to this call, if any, counting it down. */
  take(path: string): EndpointFault | undefined {
    const fault = this.armed.find((f) => matches(f.endpoint, path));
    if (fault === undefined) return undefined;
    fault.count -= 1;
    if (fault.count === 0) this.armed = this.armed.filter((f) => f !== fault);
    return { ...fault };
  }

  list(): EndpointFault[] {
    return this.armed.map((f) => ({ ...f }));
  }

  reset(): void {
    this.armed = [];
  }
}

function suppressAnswer(res: Response): void {
  // The call is processed but its answer is lost: the nasty timeout a client must retry safely.
  res.json = () => res;
  res.send = () => res;
}

function garbleAnswer(res: Response): void {
  // The call is processed but its answer breaks the wire contract: the client cannot tell what happened.
  const send = res.json.bind(res);
  res.json = () => send({ garbled: true });
}

/**
 * Applies armed faults before the route runs: `latency` delays it, `error500` answers 500
 * without processing, `timeout` processes the call and drops the connection without an answer,
 * `malformed` processes it and answers a body outside the wire contract.
 */
export function endpointFaultMiddleware(
  faults: EndpointFaults,
  timers: TimerSet,
  error500Body: unknown,
): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const fault = req.path.startsWith('/admin') ? undefined : faults.take(req.path);
    switch (fault?.kind) {
      case undefined:
        next();
        return;
      case 'latency':
        if (await timers.sleep(fault.latencyMs ?? DEFAULT_LATENCY_MS)) next();
        return;
      case 'error500':
        res.status(500).json(error500Body);
        return;
      case 'malformed':
        garbleAnswer(res);
        next();
        return;
      case 'timeout':
        suppressAnswer(res);
        timers.after(fault.latencyMs ?? DEFAULT_TIMEOUT_HOLD_MS, () => req.socket.destroy());
        next();
        return;
    }
  };
}
