// What both benchmarks (bench/collab.ts, bench/interview.ts) read the same way: the repository's root and
// their numeric knobs from the environment.
import path from 'node:path';

/** The repository's root (this file is in bench/). */
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The positive number in the environment variable `name`, or `dflt` when it is unset, not a number, or not above 0. */
export function num(name: string, dflt: number): number {
	const v = Number(process.env[name]);
	return process.env[name] !== undefined && Number.isFinite(v) && v > 0 ? v : dflt;
}
