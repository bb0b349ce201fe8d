// A bound on the organisations the mock provider keeps state for (limiters and key salts in the
// model). Any new API key is a new organisation, so 100,000 fresh keys grew the process from
// 171 MB to 1.5 GB (issue 16, item 3). Past `max`, the organisation idle longest is forgotten:
// its next request starts with full quotas, as a new organisation would. Its cache entries stay
// in the nodes (their keys are derived from the organisation's name, not from forgotten state)
// and age out with the nodes' own LRU, whose capacity already bounds them.

export interface TenantBook {
  /** Marks `tenant` used now; returns the organisation forgotten to make room, if any. */
  touch: (tenant: string) => string | undefined;
  size: () => number;
  /** Organisations forgotten since start. */
  evicted: () => number;
  clear: () => void;
}

export const createTenantBook = (max: number): TenantBook => {
  // A Map iterates in insertion order: re-inserting on use keeps the idlest first.
  const seen = new Map<string, true>();
  let evicted = 0;
  // The organisation touched last is already last in the map: touching it again changes nothing,
  // and skips a delete and an insert (most requests come from the organisation before them).
  let newest: string | undefined;
  return {
    touch: (tenant) => {
      if (tenant === newest) return undefined;
      newest = tenant;
      if (seen.delete(tenant)) {
        seen.set(tenant, true);
        return undefined;
      }
      seen.set(tenant, true);
      if (seen.size <= max) return undefined;
      const idlest = seen.keys().next().value as string;
      seen.delete(idlest);
      evicted++;
      // With room for none, the organisation just added is the one forgotten.
      if (idlest === newest) newest = undefined;
      return idlest;
    },
    size: () => seen.size,
    evicted: () => evicted,
    clear: () => {
      seen.clear();
      newest = undefined;
    },
  };
};
