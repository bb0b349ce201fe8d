// A state snapshot: the file `cachecast run --snapshot-at` writes and `cachecast serve --state`
// (and `cachecast live --window`) start from. It names what it is a snapshot of (scenario,
// variant, seed, a hash of the variant's provider config) and its format version, so a file from
// an older cachecast or from another scenario is refused with the difference named, never half
// read. The provider part is state-json.ts; drivers add their own parts (the provider's random
// stream position, the simulator's pending client work) as plain JSON.

import { z } from 'zod';
import { providerConfigSchema } from './config-schema.ts';
import type { ProviderConfig } from './config.ts';
import { hashString } from './hash.ts';
import type { ProviderState } from './provider.ts';
import { stateFromJson, stateToJson, type ProviderStateJson } from './state-json.ts';

export const SNAPSHOT_KIND = 'cachecast-state';
/** Bump when a field's meaning changes; older files are refused (there is no migration). */
export const SNAPSHOT_FORMAT = 1;

/** seedrandom alea's state (core/random/streams.ts `StreamState`). */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

export interface SnapshotIdentity {
  scenario: string;
  variant: string;
  seed: string;
  /** `configHash(providerConfigOf(spec, variant))`: the provider the scenario defined, before any event. */
  configHash: string;
}

/** The key space of a run on the scenario's own segments (see simulator/run.ts `keys`). */
export const SCENARIO_KEYS = 'scenario';

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  format: number;
  identity: SnapshotIdentity;
  /**
   * How prompts became cache keys: `scenario` (the scenario's segment hashes) or the name of a
   * wire's hashing (`k6-anthropic`: the mock provider's hashes of the k6 bundle's text). Only a
   * state in the key space of the traffic that will reach it has warm entries for that traffic.
   */
  keys: string;
  /** Provider time of the snapshot, epoch ms: everything before it has happened, nothing at or after it. */
  atMs: number;
  provider: ProviderStateJson;
  /** Positions of the driver's long-lived random streams by name (alea's state), so draws continue. */
  streams: Record<string, AleaState>;
  /** The simulator's pending client work (retries, VU loops, next arrivals); other drivers ignore it. */
  clients?: unknown;
}

/** A snapshot that cannot be used here; the message names the difference. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** JSON with keys sorted at every level: the same config hashes the same whatever built it. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

export const configHash = (config: ProviderConfig): string => hashString(canonical(config)).toString(16).padStart(14, '0');

export const takeSnapshot = (
  identity: SnapshotIdentity,
  keys: string,
  atMs: number,
  state: ProviderState,
  streams: Snapshot['streams'],
  clients?: unknown,
): Snapshot => ({
  kind: SNAPSHOT_KIND,
  format: SNAPSHOT_FORMAT,
  identity,
  keys,
  atMs,
  provider: stateToJson(state),
  streams,
  ...(clients === undefined ? {} : { clients }),
});

const envelope = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  format: z.int(),
  identity: z.strictObject({ scenario: z.string(), variant: z.string(), seed: z.string(), configHash: z.string() }),
  keys: z.string(),
  atMs: z.number(),
  provider: z.object({ config: z.unknown(), nodes: z.array(z.unknown()), liveNodes: z.array(z.int()), router: z.unknown(), limiters: z.array(z.unknown()) }),
  streams: z.record(z.string(), z.strictObject({ c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() })),
  clients: z.unknown().optional(),
});

const describeIssue = (issue: z.core.$ZodIssue): string => `${issue.path.length === 0 ? '(top level)' : issue.path.join('.')}: ${issue.message}`;

/**
 * Checks a parsed file is a snapshot of this format and, when `expected` is given, of that
 * scenario, variant, seed and provider config. Throws SnapshotError naming the first difference.
 */
export const readSnapshot = (value: unknown, expected?: SnapshotIdentity): Snapshot => {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind !== SNAPSHOT_KIND) throw new SnapshotError(`kind: expected "${SNAPSHOT_KIND}", got ${JSON.stringify(kind)}: not a cachecast state snapshot`);
  const format = (value as { format?: unknown }).format;
  if (format !== SNAPSHOT_FORMAT) {
    const older = typeof format === 'number' && format < SNAPSHOT_FORMAT;
    throw new SnapshotError(
      `format: the snapshot is format ${JSON.stringify(format)}, this cachecast reads format ${SNAPSHOT_FORMAT} only` +
        (older ? '; write it again with `cachecast run <scenario> --snapshot-at <time> --snapshot <file>`' : '; it was written by a newer cachecast'),
    );
  }
  const parsed = envelope.safeParse(value);
  if (!parsed.success) throw new SnapshotError(describeIssue(parsed.error.issues[0]));
  const snapshot = parsed.data as unknown as Snapshot;
  if (expected !== undefined) {
    const got = snapshot.identity;
    if (got.scenario !== expected.scenario) throw new SnapshotError(`identity.scenario: the snapshot is of scenario "${got.scenario}", not "${expected.scenario}"`);
    if (got.variant !== expected.variant) throw new SnapshotError(`identity.variant: the snapshot is of variant "${got.variant}" of ${got.scenario}, not "${expected.variant}"`);
    if (got.seed !== expected.seed) throw new SnapshotError(`identity.seed: the snapshot was taken with seed "${got.seed}", not "${expected.seed}"`);
    if (got.configHash !== expected.configHash) {
      throw new SnapshotError(
        `identity.configHash: the provider config of ${got.scenario}/${got.variant} has changed since the snapshot (${got.configHash}, now ${expected.configHash}); write it again`,
      );
    }
  }
  return snapshot;
};

/** The provider state a snapshot holds, its config checked field by field. */
export const restoreProvider = (snapshot: Snapshot): ProviderState => {
  const config = providerConfigSchema.safeParse(snapshot.provider.config);
  if (!config.success) throw new SnapshotError(`provider.config.${describeIssue(config.error.issues[0])}`);
  return stateFromJson(snapshot.provider, config.data);
};
