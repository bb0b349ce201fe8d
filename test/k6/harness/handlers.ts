// Where a harness VU's http requests go: into a fastify app in process (inject), or out over real
// HTTP (fetch). Header names come back canonical, as k6's Go client gives them.

import type { FastifyInstance } from 'fastify';
import type { HttpRequest, HttpResponse } from './host.ts';

export const canonicalHeader = (name: string): string => name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()).join('-');

const canonicalHeaders = (entries: Iterable<[string, string | string[] | number | undefined]>): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value !== undefined) headers[canonicalHeader(name)] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
};

/** In process: no socket, so time to first byte is the whole response time. */
export const injectHandler = (app: FastifyInstance) => async (request: HttpRequest): Promise<HttpResponse> => {
  const started = performance.now();
  const url = new URL(request.url);
  const response = await app.inject({
    method: request.method as 'POST' | 'GET',
    url: `${url.pathname}${url.search}`,
    headers: request.headers,
    payload: request.method === 'GET' ? undefined : request.body,
  });
  const durationMs = performance.now() - started;
  return { status: response.statusCode, headers: canonicalHeaders(Object.entries(response.headers)), body: response.payload, timings: { waiting: durationMs, duration: durationMs } };
};

/** Real HTTP: waiting ends when the headers arrive (the mock sends them with the first token). */
export const fetchHandler = () => async (request: HttpRequest): Promise<HttpResponse> => {
  const started = performance.now();
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : request.body });
  const waiting = performance.now() - started;
  const body = await response.text();
  return { status: response.status, headers: canonicalHeaders(response.headers.entries()), body, timings: { waiting, duration: performance.now() - started } };
};
