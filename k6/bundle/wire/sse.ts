// Server-sent events as k6 sees them: k6's http client does not stream, so a streamed answer
// arrives whole and is scanned afterwards. Time to first token comes from the response's time to
// first byte instead (the mock provider, like the APIs, sends nothing before the first event).
//
// k6's runtime interprets JavaScript slowly, and a streamed answer is mostly content deltas the
// driver never reads (only the usage events matter): the scanner walks the body with indexOf,
// skips the data of events the caller does not want, and never splits or joins the whole body
// (decoding a 12 kB stream by split + JSON.parse per event took 6.8 ms inside k6).

export interface SseEvent {
  /** The `event:` line; undefined for OpenAI's data-only stream. */
  event?: string;
  data: string;
}

/**
 * Calls `visit` for each event whose data `wanted(event name, data)` accepts, in order. `wanted`
 * sees the raw data line so a caller can reject a chunk by a substring before parsing any JSON.
 */
export const scanSse = (text: string, wanted: (event: string | undefined, data: string) => boolean, visit: (event: SseEvent) => void): void => {
  const n = text.length;
  let pos = 0;
  let event: string | undefined;
  let data: string | undefined;
  const flush = (): void => {
    if (data !== undefined && wanted(event, data)) visit(event === undefined ? { data } : { event, data });
    event = undefined;
    data = undefined;
  };
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (lineEnd === pos) flush();
    else if (text.startsWith('data:', pos)) {
      const from = text.charCodeAt(pos + 5) === 32 ? pos + 6 : pos + 5;
      const line = text.slice(from, lineEnd);
      // Multi-line data is rare (the APIs send one line per event); only then is anything joined.
      data = data === undefined ? line : `${data}\n${line}`;
    } else if (text.startsWith('event:', pos)) event = text.slice(pos + 6, lineEnd).trim();
    pos = end + 1;
  }
  flush();
};

/**
 * `scanSse` restricted to the events whose text holds one of `needles` (an event's name, say):
 * the same calls in the same order as `scanSse(text, wanted, visit)` whenever every event `wanted`
 * accepts holds a needle. It finds the needles with the runtime's native indexOf and scans only the
 * events around them: in k6 even a line-by-line walk of a 3.4 kB, 20-token stream took ~0.3 ms of
 * CPU (v1.3; ~80 lines), most of the bundle's own cost per request, for the two events that count.
 * Events are delimited by blank lines; a stream with any carriage return (CRLF or CR line ends,
 * which the APIs do not send) is walked whole instead.
 */
export const scanSseAround = (text: string, needles: readonly string[], wanted: (event: string | undefined, data: string) => boolean, visit: (event: SseEvent) => void): void => {
  if (text.indexOf('\r') >= 0) return scanSse(text, wanted, visit);
  const blocks: Array<[number, number]> = [];
  for (const needle of needles) {
    let at = text.indexOf(needle);
    while (at >= 0) {
      const before = text.lastIndexOf('\n\n', at);
      const start = before < 0 ? 0 : before + 2;
      const after = text.indexOf('\n\n', at);
      const end = after < 0 ? text.length : after;
      blocks.push([start, end]);
      at = text.indexOf(needle, end);
    }
  }
  blocks.sort((a, b) => a[0] - b[0]);
  let last = -1;
  for (const [start, end] of blocks) {
    // Two needles in one event: scanned once.
    if (start === last) continue;
    last = start;
    scanSse(text.slice(start, end), wanted, visit);
  }
};

/** Every event, for tests and tools outside k6. */
export const parseSse = (text: string): SseEvent[] => {
  const events: SseEvent[] = [];
  scanSse(text, () => true, (e) => events.push(e));
  return events;
};
