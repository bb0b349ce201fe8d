// Globals the type-check of the k6-facing code needs but k6 does not provide. The scenario types
// reference the provider model, whose createProvider uses structuredClone; a k6 bundle never
// calls it (the bundle checks this: no structuredClone in k6/build.ts's output).
declare function structuredClone<T>(value: T): T;
