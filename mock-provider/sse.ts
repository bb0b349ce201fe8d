// Server-sent events written straight to the socket. A streaming reply is hijacked (fastify then
// leaves the response to us and skips its own hooks; the ledger hook listens to `close`, which
// still fires). Writes stop quietly once the client has gone.

import type { FastifyReply } from 'fastify';
import type { Clock } from './clock.ts';

export interface SseStream {
  /** Writes one event; `event` is omitted for OpenAI's data-only stream. */
  send: (data: string, event?: string) => void;
  /** Writes events already in their wire form (`sseEvent`). */
  write: (text: string) => void;
  end: () => void;
  readonly gone: () => boolean;
}

/** One event as written on the wire; `event` is omitted for OpenAI's data-only stream. */
export const sseEvent = (data: string, event?: string): string => (event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`);

export const openSse = (reply: FastifyReply, headers: Record<string, string>): SseStream => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const gone = (): boolean => raw.destroyed || raw.writableEnded;
  return {
    send: (data, event) => {
      if (!gone()) raw.write(sseEvent(data, event));
    },
    write: (text) => {
      if (!gone()) raw.write(text);
    },
    end: () => {
      if (!gone()) raw.end();
    },
    gone,
  };
};

/**
 * Sends the chunks: the first at once (the caller has already waited the time to first token),
 * then the decode time spread evenly between them.
 */
export const paceChunks = async (
  clock: Clock,
  chunks: readonly string[],
  decodeMs: number,
  sendChunk: (text: string, index: number) => void,
  gone: () => boolean,
): Promise<void> => {
  const gapMs = chunks.length > 1 ? decodeMs / (chunks.length - 1) : 0;
  for (let i = 0; i < chunks.length && !gone(); i++) {
    if (i > 0) await clock.wait(gapMs);
    sendChunk(chunks[i], i);
  }
  if (chunks.length <= 1 && decodeMs > 0) await clock.wait(decodeMs);
};
