import { AI_QUOTA_MAX_TOKENS } from '@parley/contract';

const TOKENS = new Intl.NumberFormat('en');
const MONTH = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'long', timeZone: 'UTC' });

/** 1234567 → "1,234,567". */
export const formatTokens = (tokens: number): string => TOKENS.format(tokens);

/** Dollars with cents, and more digits below a dollar, where AI costs usually are: "$0.0083". */
export function formatCost(usd: number): string {
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: usd !== 0 && usd < 1 ? 4 : 2,
  }).format(usd);
}

/** "2026-12" → "December 2026". */
export const monthTitle = (month: string): string => MONTH.format(new Date(`${month}-01T00:00:00Z`));

/** An instant as its UTC day: "1 January". */
export const dayTitle = (iso: string): string => DAY.format(new Date(iso));

/** The month before or after "YYYY-MM". */
export function shiftMonth(month: string, by: number): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + by);
  return date.toISOString().slice(0, 7);
}

/** This UTC month, "YYYY-MM". */
export const currentMonth = (now = new Date()): string => now.toISOString().slice(0, 7);

/**
 * What an admin typed as the quota: a whole number of tokens (spaces, commas and underscores
 * between digits allowed), or nothing for no limit. `error` says what to write instead.
 */
export function parseQuota(text: string): { tokens: number | null } | { error: string } {
  const digits = text.trim().replace(/[\s,_]/g, '');
  if (digits === '') return { tokens: null };
  if (!/^\d+$/.test(digits))
    return { error: 'Write a whole number of tokens, such as 2000000, or leave it empty for no limit.' };
  const tokens = Number(digits);
  if (tokens < 1) return { error: 'The quota must be at least 1 token; leave it empty for no limit.' };
  if (tokens > AI_QUOTA_MAX_TOKENS)
    return { error: `The quota can be at most ${formatTokens(AI_QUOTA_MAX_TOKENS)} tokens.` };
  return { tokens };
}
