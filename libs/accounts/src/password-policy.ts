import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
/** zxcvbn's "safely unguessable" (about 10^8 guesses and more): below it, a throttled online attacker may still get there. */
const MIN_SCORE = 3;

// Built once: the common-password lists (tens of thousands of breached passwords) and keyboard graphs.
const estimator = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/**
 * Why `password` is refused (API.md: at least 10 characters, not a known-breached or trivial
 * one), or null. zxcvbn matches it against breached-password lists, keyboard walks, repeats,
 * sequences and dates, and against `related` words (the username: `li.hua2025` is trivial for li.hua).
 */
export function passwordWeakness(password: string, related: readonly string[]): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password: at least ${MIN_PASSWORD_LENGTH} characters`;
  const { score } = estimator.check(password, [...related]);
  return score < MIN_SCORE ? 'password: a known-breached or easily guessed password (common word, name, sequence, keyboard walk or repeat); choose a longer or less predictable one' : null;
}
