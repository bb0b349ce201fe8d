// Types for seedrandom's alea module alone (@types/seedrandom types only the package's entry point).
declare module 'seedrandom/lib/alea.js' {
  import type seedrandom from 'seedrandom';
  const alea: typeof seedrandom.alea;
  export default alea;
}
