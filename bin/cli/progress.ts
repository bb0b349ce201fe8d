// Progress on stderr: a bar redrawn in place on a terminal, a line per 10 % otherwise (CI logs).

import type { CliIo } from './io.ts';

export interface Progress {
  update: (fraction: number, detail: string) => void;
  done: () => void;
}

export const createProgress = (io: CliIo, label: string): Progress => {
  let lastDecile = -1;
  let drawn = false;
  return {
    update: (fraction, detail) => {
      const f = Math.max(0, Math.min(1, fraction));
      if (io.isTty) {
        const width = 30;
        const filled = Math.round(f * width);
        io.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${detail}   `);
        drawn = true;
      } else {
        const decile = Math.floor(f * 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          io.err(`${label} ${decile * 10}% ${detail}\n`);
        }
      }
    },
    done: () => {
      if (drawn) io.err('\n');
    },
  };
};
