// The HTTP ladder's load generator, in a worker thread so it never shares an event loop with the
// servers it measures. It stays up for the whole ladder: each message is one load run, answered
// with one message. autocannon drives a closed loop: `connections` requests in flight, each
// connection sending its next request when the last one answered, `amount` in all. Every
// response's latency is kept at full resolution (autocannon's own histogram counts whole
// milliseconds, too coarse for the bare rungs); load.ts computes the percentiles from them.
// Plain JavaScript: the thread runs outside the TypeScript loaders (tsx, jest's transform).
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import autocannon from 'autocannon';

function run({ url, method, connections, amount, timeoutS, headers, body, perRequest }) {
  let next = 0;
  /** [status, latency in ms] of every response. */
  const samples = [];
  let firstError;
  const request = {
    method,
    headers,
    body,
    // Each request takes the next prepared headers and body (a POST needs its own Idempotency-Key and
    // member token); autocannon builds one ahead per connection, so perRequest holds amount + connections.
    ...(perRequest === undefined
      ? {}
      : {
          setupRequest: (req) => {
            const prepared = perRequest[next];
            next += 1;
            if (prepared === undefined) return { ...req };
            return { ...req, headers: { ...req.headers, ...prepared.headers }, body: prepared.body };
          },
        }),
  };
  // The rate runs from the first request to the last response: autocannon notices the end only at its
  // next sampling tick, which would otherwise count as load time.
  const started = performance.now();
  let lastResponseAt = started;
  const instance = autocannon(
    { url, connections, amount, timeout: timeoutS, requests: [request], pipelining: 1, sampleInt: 100 },
    (err, result) => {
      parentPort.postMessage({
        samples,
        errors: result?.errors ?? 0,
        timeouts: result?.timeouts ?? 0,
        elapsedMs: lastResponseAt - started,
        firstError: err ? String(err) : firstError,
      });
    },
  );
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    lastResponseAt = performance.now();
    samples.push([statusCode, responseTimeMs]);
  });
  instance.on('reqError', (error) => {
    firstError ??= String(error);
  });
}

parentPort.on('message', run);
