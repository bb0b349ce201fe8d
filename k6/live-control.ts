// The control endpoint a live run's k6 calls from setup(): `POST /start` with how far ahead provider
// time should start (k6/bundle/test-start.ts). The first start wins: the mock provider's clock
// starts that long after the request arrived, and every caller (one per k6 instance with
// --k6-instances) is answered with that wall instant, the origin in force, so all of them count
// their arrivals from the same instant. The lead counts from the request's arrival, not from when
// k6 sent it: a first request that took long to arrive (627 ms in the test harness) cannot use it up.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { WallClock } from '../mock-provider/clock.ts';
import { leadOf } from './bundle/test-start.ts';

/** The lead a start request asks for, wall ms (0 for a bare POST: provider time starts now). */
const leadFromBody = (body: string): number => {
  try {
    return leadOf(JSON.parse(body));
  } catch {
    return 0;
  }
};

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.once('end', () => resolve(body));
    request.once('error', reject);
  });

/**
 * The control server. `providerStartMs` is the provider time the clock starts at (the scenario's or
 * window's start); `onStart` runs once, with the wall origin (the scenario's phases are timed from it).
 */
export const createStartControl = (clock: WallClock, providerStartMs: number, onStart: (originWallMs: number) => void): Server =>
  createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/start') {
      response.writeHead(404).end();
      return;
    }
    readBody(request).then(
      (body) => {
        if (!clock.started) {
          const originWallMs = Date.now() + leadFromBody(body);
          clock.start(originWallMs);
          onStart(originWallMs);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ originWallMs: clock.toWallEpochMs(providerStartMs) }));
      },
      () => response.writeHead(400).end(),
    );
  });
