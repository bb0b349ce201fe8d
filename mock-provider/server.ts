// Listening and stopping: the only part of the mock provider that binds a port. A graceful stop
// (SIGINT/SIGTERM in `cachecast serve`) stops accepting connections, lets requests in flight
// finish, then flushes and closes the ledger (app.ts's onClose hook waits for the last row).

import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

export class PortInUseError extends Error {
  readonly port: number;
  constructor(host: string, port: number) {
    super(`port ${port} on ${host} is already in use`);
    this.port = port;
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether binding `host` keeps the server reachable from this machine only. */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

export interface BaseUrls {
  origin: string;
  /** What to give the Anthropic SDK as `baseURL` (ANTHROPIC_BASE_URL). */
  anthropic: string;
  /** What to give the OpenAI SDK as `baseURL` (OPENAI_BASE_URL). */
  openai: string;
}

/**
 * The accept queue: Node's default (511) is shorter than a herd. 1,000 clients connecting at once
 * (the stampede) overflowed it on loopback, and each dropped SYN waited the kernel's 1 s
 * retransmission timeout: real k6 measured http_req_connecting p50 1,082 ms and the herd's 200 ms
 * spread over 5 s. The kernel caps it at net.core.somaxconn (4,096 by default since Linux 5.4).
 */
export const LISTEN_BACKLOG = 4_096;

export const listenMockProvider = async (app: FastifyInstance, host: string, port: number): Promise<BaseUrls> => {
  try {
    await app.listen({ host, port, backlog: LISTEN_BACKLOG });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${shownHost}:${address.port}`;
  return { origin, anthropic: origin, openai: `${origin}/v1` };
};

/**
 * Closes the app on the first of `signals` (or when `stop` aborts): no new connections, in-flight
 * requests finish, the ledger is flushed. Resolves once closed.
 */
export const closeOnSignals = (app: FastifyInstance, signals: readonly NodeJS.Signals[], stop?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    let closing = false;
    const close = (): void => {
      if (closing) return;
      closing = true;
      for (const signal of signals) process.off(signal, close);
      stop?.removeEventListener('abort', close);
      app.close().then(resolve, reject);
    };
    for (const signal of signals) process.once(signal, close);
    if (stop?.aborted) close();
    else stop?.addEventListener('abort', close, { once: true });
  });
