// Regenerates the shipped sample request log: `npx tsx test/simulator/doctor/write-sample-log.ts`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleLog, toNdjson } from './log-kit.ts';

const path = join(import.meta.dirname, '../../../scenarios/examples/logs/support-bot.ndjson');
writeFileSync(path, toNdjson(sampleLog()));
console.log(path);
