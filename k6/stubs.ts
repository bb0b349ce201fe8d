// Modules replaced in a k6 bundle. The scenario format validates with zod and its measures build
// HDR histograms, but neither runs in k6: the spec is validated in Node before bundling, and
// expectations are measured from the ledger, not in the VUs. Stubbing both keeps the bundle small
// and free of syntax older k6 versions cannot parse (zod's BigInt literals and regular expressions).
// seedrandom's entry point probes Node's crypto; the bundle needs only its alea generator.

export const ZOD_STUB = `
// zod stand-in: every schema accepts its input; validation ran in Node at build time.
const schema = new Proxy(function () {}, {
  get: (_target, key) => (key === 'safeParse' ? (value) => ({ success: true, data: value }) : key === 'parse' ? (value) => value : schema),
  apply: () => schema,
});
export const z = schema;
export default schema;
`;

export const HDR_STUB = `
// hdr-histogram-js stand-in: expectations are measured from the ledger, never inside k6.
export const build = () => {
  throw new Error('expectation measures do not run inside k6; cachecast measures them from the ledger');
};
export default { build };
`;

export const SEEDRANDOM_SHIM = `
import alea from 'seedrandom/lib/alea.js';
export default { alea };
`;

export const STUBS: Record<string, string> = { zod: ZOD_STUB, 'hdr-histogram-js': HDR_STUB, seedrandom: SEEDRANDOM_SHIM };
