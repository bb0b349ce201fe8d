// A seeded request log of conversations, for the replay tests.

import { stream } from '../../../core/random/streams.ts';

export const START_MS = Date.parse('2026-03-02T09:00:00Z');

/** A seeded log of conversations: per tenant a long system prompt, sessions that grow turn by turn. */
export const conversationLog = (wire: 'anthropic' | 'openai', seed: string): string => {
  const rng = stream(seed, 'log');
  const systemOf = (tenant: string): string => `${tenant}: ${'policy text '.repeat(900)}`;
  const lines: string[] = [];
  let ts = START_MS;
  const histories = new Map<string, string[]>();
  for (let i = 0; i < 120; i++) {
    ts += Math.floor(rng() * 20_000);
    const tenant = `tenant-${Math.floor(rng() * 3)}`;
    const session = `${tenant}/chat-${Math.floor(rng() * 6)}`;
    const history = histories.get(session) ?? [];
    history.push(`turn ${history.length} of ${session}: ${'words '.repeat(50 + Math.floor(rng() * 400))}`);
    histories.set(session, history);
    const messages = history.map((text, k) => ({ role: k % 2 === 0 ? 'user' : 'assistant', content: text }));
    if (messages.length % 2 === 0) messages.push({ role: 'user', content: 'and?' });
    const body =
      wire === 'anthropic'
        ? { model: 'claude-sonnet-4-5', max_tokens: 400, system: [{ type: 'text', text: systemOf(tenant), cache_control: { type: 'ephemeral' } }], messages, cache_control: { type: 'ephemeral' } }
        : { model: 'gpt-4o', messages: [{ role: 'system', content: systemOf(tenant) }, ...messages], prompt_cache_key: session, max_tokens: 300 };
    lines.push(JSON.stringify({ ts, tenant, session, class: i % 7 === 0 ? 'batch' : 'interactive', body, ...(i % 3 === 0 ? {} : { output_tokens: 20 + Math.floor(rng() * 300) }) }));
  }
  return `${lines.join('\n')}\n`;
};

