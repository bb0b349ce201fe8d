import { describe, expect, it } from 'vitest';
import { createTextPool } from '../../../simulator/doctor/text-pool.ts';
import { keptView, releaseView, unpacked, viewRequest } from '../../../simulator/doctor/request-view.ts';
import { defaultDescribers, parseRequestLogLine } from '../../../simulator/replay/request-log.ts';

describe('text pool', () => {
  it('gives back every text exactly: ASCII one byte a character, anything else as UTF-16 (lone surrogates too)', () => {
    const pool = createTextPool();
    const texts = ['plain ASCII '.repeat(200), `café ${'é'.repeat(900)}`, `😀 ${'x'.repeat(3_000)}`, `\ud800 lone ${'y'.repeat(1_500)}`];
    const packed = texts.map((t) => pool.pack(t));
    expect(packed.map((p) => p.encoding)).toEqual(['latin1', 'utf16le', 'utf16le', 'utf16le']);
    expect(packed.map((p) => p.bytes.toString(p.encoding))).toEqual(texts);
    expect(packed[0].bytes.length).toBe(texts[0].length);
    expect(packed[1].bytes.length).toBe(texts[1].length * 2);
  });

  it('reuses a freed buffer of the same size class, and a new one while the first is held', () => {
    const pool = createTextPool();
    const a = pool.pack('a'.repeat(3_000)); // 4 KiB class
    const b = pool.pack('b'.repeat(2_500));
    expect(b.slab).not.toBe(a.slab);
    pool.free(a);
    const c = pool.pack('c'.repeat(4_096));
    expect(c.slab).toBe(a.slab);
    expect(c.bytes.toString('latin1')).toBe('c'.repeat(4_096));
    expect(b.bytes.toString('latin1')).toBe('b'.repeat(2_500));
    const d = pool.pack('d'.repeat(5_000)); // 8 KiB class: a new buffer
    expect(d.slab.length).toBe(8_192);
  });

  it('keeps a view with long texts packed and short ones as they are; unpacking gives the text back', () => {
    const system = `You are a careful assistant. ${'Rules. '.repeat(400)}`;
    const line = JSON.stringify({ ts: 0, body: { model: 'claude-sonnet-4-5', max_tokens: 10, system, messages: [{ role: 'user', content: 'short question' }] } });
    const parsed = parseRequestLogLine(line, 1, defaultDescribers(), 4, 'anthropic-messages');
    if (!parsed.ok) throw new Error(parsed.message);
    const made = viewRequest(parsed.entry, '');
    if (!made.ok) throw new Error(made.message);
    const pool = createTextPool();
    const kept = keptView(made.view, pool);
    expect(kept.blocks.map((b) => [b.path, b.text.length, b.packed?.bytes.length])).toEqual([
      ['system', 0, system.length],
      ['messages[0].content', 'short question'.length, undefined],
    ]);
    expect(kept.blocks.map((b) => unpacked(b).text)).toEqual([system, 'short question']);
    expect(kept.blocks.map((b) => b.rawHash)).toEqual(made.view.blocks.map((b) => b.rawHash));
    releaseView(kept, pool);
    expect(pool.pack('z'.repeat(system.length)).slab).toBe(kept.blocks[0].packed?.slab);
  });
});
