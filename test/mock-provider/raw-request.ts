// Raw HTTP over a socket, for requests no HTTP client will send (a malformed request line, a bad
// content-length). The socket is read: a client that never reads never sees the answer nor the
// close, which is how the soak once counted answered requests as unanswered for 10 s.

import { connect } from 'node:net';

export interface RawAnswer {
  /** Everything the server sent before it closed the connection. */
  response: string;
  /** False when `giveUpMs` passed first (then the socket is destroyed). */
  closed: boolean;
}

/** Sends `text` (half-closing after it when `end`), reads until the server closes. */
export const sendRaw = (port: number, text: string, options: { end?: boolean; giveUpMs?: number } = {}): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ response, closed: true }));
    if (options.giveUpMs !== undefined) {
      socket.setTimeout(options.giveUpMs, () => {
        resolve({ response, closed: false });
        socket.destroy();
      });
    }
    if (options.end === true) socket.end(text);
    else socket.write(text);
  });
