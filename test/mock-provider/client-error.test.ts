// Issue 16, item 12: requests the HTTP parser refuses were answered in fastify's own
// {"error","message","statusCode"}; now in the served wire's error shape.

import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const raw = (s: TestServer, text: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(s.origin).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(text);
  });

const split = (response: string) => ({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]), body: JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) });

describe('requests the HTTP parser refuses', () => {
  it('answers a malformed request line in Anthropic\'s error shape', async () => {
    server = await startServer('anthropic');
    expect(split(await raw(server, 'GARBAGE\r\n\r\n'))).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'The request could not be parsed as HTTP.' } },
    });
  });

  it('answers oversized headers with a 431 in OpenAI\'s error shape', async () => {
    server = await startServer('openai');
    const response = split(await raw(server, `GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(response).toEqual({
      status: 431,
      body: { error: { message: 'Request headers are too large.', type: 'invalid_request_error', param: null, code: null } },
    });
  });
});
