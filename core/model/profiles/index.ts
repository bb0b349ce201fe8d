import type { ProviderConfig } from '../config.ts';
import { anthropicProfile } from './anthropic.ts';
import { lruBlocksProfile } from './lru-blocks.ts';
import { openaiProfile } from './openai.ts';

export const PROFILES = { anthropic: anthropicProfile, openai: openaiProfile, 'lru-blocks': lruBlocksProfile } satisfies Record<string, ProviderConfig>;
export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
export { anthropicProfile, lruBlocksProfile, openaiProfile };
