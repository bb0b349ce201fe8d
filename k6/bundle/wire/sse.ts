// Server-sent events as k6 sees them: k6's http client does not stream, so a streamed answer
// arrives whole and is split into its events afterwards. Time to first token comes from the
// response's time to first byte instead (the mock provider, like the APIs, sends nothing before
// the first event).

export interface SseEvent {
  /** The `event:` line; undefined for OpenAI's data-only stream. */
  event?: string;
  data: string;
}

export const parseSse = (text: string): SseEvent[] => {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push(event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') });
  }
  return events;
};
