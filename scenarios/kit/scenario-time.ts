// Moments and windows on a scenario's timeline, as a user writes them on the command line:
// a clock time as the charts label it (`13:55`, `13:59:55`, `13:59:59.5`; UTC, the first such
// moment at or after the scenario's start) or an offset from the start as a duration (`55m`,
// `1h55m`, `2d3h`). A window is two of them: `13:55..14:10`, `55m..70m`.

import { parseDuration } from './durations.ts';

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;
const DAY_MS = 86_400_000;

/** Provider time (epoch ms) of a moment on the timeline of a scenario starting at `startMs`; throws naming the text. */
export const parseScenarioTime = (text: string, startMs: number): number => {
  const clock = CLOCK.exec(text.trim());
  if (clock !== null) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || m > 59 || s >= 60) throw new Error(`"${text}" is not a clock time (HH:MM or HH:MM:SS, UTC)`);
    const ofDay = ((h * 60 + m) * 60 + s) * 1000;
    const dayStart = Math.floor(startMs / DAY_MS) * DAY_MS;
    const at = dayStart + ofDay;
    return at >= startMs ? at : at + DAY_MS;
  }
  try {
    return startMs + parseDuration(text);
  } catch {
    throw new Error(`"${text}" is neither a clock time (13:55, 13:59:30, UTC) nor an offset from the scenario's start (55m, 1h55m30s)`);
  }
}

export interface ScenarioWindow {
  fromMs: number;
  toMs: number;
}

/** `from..to`, both as `parseScenarioTime` reads them; `to` must be after `from`. */
export const parseWindow = (text: string, startMs: number): ScenarioWindow => {
  const parts = text.split('..');
  if (parts.length !== 2) throw new Error(`"${text}" is not a window: write FROM..TO, e.g. 13:55..14:10 or 55m..70m`);
  const fromMs = parseScenarioTime(parts[0], startMs);
  const toMs = parseScenarioTime(parts[1], startMs);
  if (!(toMs > fromMs)) throw new Error(`"${text}": the window must end after it starts`);
  return { fromMs, toMs };
};
