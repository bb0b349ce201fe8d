import { describe, expect, it } from 'vitest';
import { describedTexts } from '../../../core/wire/request.ts';

describe('texts a body describes as sent', () => {
  it('names the system and message texts of a Messages body, string or text blocks', () => {
    const body = {
      system: [{ type: 'text', text: 'S1' }, { type: 'text', text: 'S2', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'U1' },
        { role: 'assistant', content: [{ type: 'text', text: 'A1' }, { type: 'tool_use', id: 't', name: 'n', input: { text: 'no' } }] },
      ],
    };
    expect(describedTexts('anthropic-messages', body)).toEqual(['S1', 'S2', 'U1', 'A1']);
    expect(describedTexts('anthropic-messages', { system: 'S', messages: [] })).toEqual(['S']);
  });

  it('names string contents only on the OpenAI wires (array contents are joined first), instructions and inputs', () => {
    const chat = { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: [{ type: 'text', text: 'joined' }] }, { role: 'assistant', content: null }] };
    expect(describedTexts('openai-chat', chat)).toEqual(['S']);
    expect(describedTexts('openai-responses', { instructions: 'I', input: 'U' })).toEqual(['I', 'U']);
    expect(describedTexts('openai-responses', { instructions: 'I', input: [{ role: 'user', content: 'U' }, { type: 'function_call_output', output: 'o' }] })).toEqual(['I', 'U']);
  });

  it('names nothing in what is not a body', () => {
    expect(describedTexts('anthropic-messages', null)).toEqual([]);
    expect(describedTexts('openai-chat', ['x'])).toEqual([]);
  });
});
