import { describe, expect, it } from 'vitest';
import { parseScenarioTime, parseWindow } from '../../../scenarios/kit/scenario-time.ts';

const noon = Date.parse('2026-03-02T12:00:00Z');

describe('scenario times and windows', () => {
  it('reads clock times (UTC, the first at or after the start) and offsets from the start', () => {
    expect(parseScenarioTime('13:55', noon)).toBe(Date.parse('2026-03-02T13:55:00Z'));
    expect(parseScenarioTime('13:59:59.5', noon)).toBe(Date.parse('2026-03-02T13:59:59.500Z'));
    // Before the start's time of day: the next day.
    expect(parseScenarioTime('09:00', noon)).toBe(Date.parse('2026-03-03T09:00:00Z'));
    expect(parseScenarioTime('1h55m', noon)).toBe(Date.parse('2026-03-02T13:55:00Z'));
    expect(parseScenarioTime('2d', noon)).toBe(Date.parse('2026-03-04T12:00:00Z'));
  });

  it('reads windows both ways and names what is wrong', () => {
    expect(parseWindow('13:55..14:10', noon)).toEqual({ fromMs: Date.parse('2026-03-02T13:55:00Z'), toMs: Date.parse('2026-03-02T14:10:00Z') });
    expect(parseWindow('115m..130m', noon)).toEqual(parseWindow('13:55..14:10', noon));
    expect(() => parseWindow('13:55', noon)).toThrow('"13:55" is not a window: write FROM..TO');
    expect(() => parseWindow('14:10..13:55', noon)).toThrow('the window must end after it starts');
    expect(() => parseScenarioTime('25:00', noon)).toThrow('"25:00" is not a clock time');
    expect(() => parseScenarioTime('later', noon)).toThrow('"later" is neither a clock time');
  });
});
