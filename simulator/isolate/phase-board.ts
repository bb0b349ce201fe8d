// Where a scenario running in a worker thread is: import, setup, build, simulation. A scenario
// stuck in a synchronous loop cannot post a message, so the phase lives in shared memory that the
// main thread reads when it is interrupted or times out. Names (scenario, variant, traffics)
// change rarely and are posted; the per-request part (build's traffic and iteration) is only
// written to the board, a few integer stores per request.

import type { Scenario, ScenarioSpec } from '../../scenarios/kit/format.ts';

export const PHASES = ['starting', 'import', 'setup', 'simulate', 'build', 'finish', 'report'] as const;
export type Phase = (typeof PHASES)[number];

const PHASE = 0;
const TRAFFIC = 1;
const ITERATION = 2;
const PERMILLE = 3;

/** The board: [phase, traffic index, iteration, simulated time in ‰]. */
export const createBoard = (): Int32Array => new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));

/** The names a phase refers to; posted by the worker when they change. */
export interface PhaseNames {
  /** The scenario as the user named it (while importing) or its name. */
  scenario: string;
  variant?: string;
  traffics?: string[];
}

export interface BoardReading {
  phase: Phase;
  traffic: number;
  iteration: number;
  permille: number;
}

export const readBoard = (board: Int32Array): BoardReading => ({
  phase: PHASES[Atomics.load(board, PHASE)] ?? 'starting',
  traffic: Atomics.load(board, TRAFFIC),
  iteration: Atomics.load(board, ITERATION),
  permille: Atomics.load(board, PERMILLE),
});

/** The worker's side: enter a phase (posting its names), and watch a scenario's own code. */
export interface Phases {
  enter: (phase: Phase, names?: PhaseNames, quiet?: boolean) => void;
  /** Simulated time done, 0..1, for the message when stopped mid-simulation. */
  progress: (fraction: number) => void;
  /** The scenario with setup() and every traffic's build() marking the board while they run. */
  watch: (scenario: Scenario) => Scenario;
}

/** `quiet`: a return to an earlier phase, which the supervisor does not announce again. */
export type PostPhase = (phase: Phase, names: PhaseNames | undefined, quiet: boolean) => void;

export const createPhases = (board: Int32Array, post: PostPhase): Phases => {
  const enter = (phase: Phase, names?: PhaseNames, quiet = false): void => {
    Atomics.store(board, PHASE, PHASES.indexOf(phase));
    post(phase, names, quiet);
  };
  const watchSpec = (spec: ScenarioSpec): ScenarioSpec => {
    // A setup() that returns something else is left for validation to name.
    if (typeof spec !== 'object' || spec === null || typeof spec.traffic !== 'object' || spec.traffic === null) return spec;
    const traffic = Object.fromEntries(
      Object.entries(spec.traffic).map(([name, executor], index) => {
        if (typeof executor?.build !== 'function') return [name, executor];
        const build = executor.build;
        return [
          name,
          {
            ...executor,
            build: ((iteration, tMs, rng) => {
              const before = Atomics.load(board, PHASE);
              board[TRAFFIC] = index;
              board[ITERATION] = iteration;
              Atomics.store(board, PHASE, PHASES.indexOf('build'));
              const request = build(iteration, tMs, rng);
              Atomics.store(board, PHASE, before);
              return request;
            }) as typeof build,
          },
        ];
      }),
    );
    return { ...spec, traffic };
  };
  const watch = (scenario: Scenario): Scenario => ({
    ...scenario,
    setup: (variant: string) => {
      const before = PHASES[Atomics.load(board, PHASE)];
      enter('setup', { scenario: scenario.name, variant });
      const spec = watchSpec(scenario.setup(variant));
      const traffics = typeof spec?.traffic === 'object' && spec.traffic !== null ? Object.keys(spec.traffic) : [];
      enter(before, { scenario: scenario.name, variant, traffics }, true);
      return spec;
    },
  });
  return { enter, progress: (fraction) => Atomics.store(board, PERMILLE, Math.round(Math.max(0, Math.min(1, fraction)) * 1000)), watch };
};
