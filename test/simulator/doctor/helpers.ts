// Log lines → the records doctor reads, through the request-log reader's own line parser (core/wire).

import type { LogRecord } from '../../../simulator/doctor/diagnose.ts';
import { defaultDescribers, parseRequestLogLine } from '../../../simulator/replay/request-log.ts';
import type { LogLine } from './log-kit.ts';

export const recordsOf = (lines: LogLine[]): LogRecord[] => {
  const describe = defaultDescribers();
  return lines.map((line, i) => {
    const parsed = parseRequestLogLine(JSON.stringify(line), i + 1, describe, 4, 'anthropic-messages');
    if (!parsed.ok) throw new Error(`line ${i + 1}: ${parsed.message}`);
    return parsed.entry;
  });
};
