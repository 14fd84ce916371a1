// What the parts of the interview benchmark share: its settings, goals, progress line and statistics.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, num } from '../knobs';

export const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...args: unknown[]) => console.error(...args);
export const T0 = performance.now();
export const progress = (msg: string) => process.stderr.write(`[bench:interview ${((performance.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);
export const env = process.env;
export const CONFIG = {
	runs: env.BENCH_RUNS === '0' ? 0 : Math.round(num('BENCH_RUNS', 5)),
	typing_rounds: env.BENCH_TYPING_ROUNDS === '0' ? 0 : Math.round(num('BENCH_TYPING_ROUNDS', 3)),
	keystrokes_per_round: Math.round(num('BENCH_KEYSTROKES', 120)),
	keystroke_delay_ms: 60,
	other_typist_chars_per_s: 10,
	large_turns: Math.round(num('BENCH_TURNS', 7000)),
	build: env.BENCH_BUILD ? path.resolve(env.BENCH_BUILD) : path.join(ROOT, 'build'),
	profile_dir: env.BENCH_PROFILE ? path.resolve(env.BENCH_PROFILE) : null,
	only: env.BENCH_ONLY ?? null
};
export const GOALS = { large_readable_ms: 1500, large_editable_ms: 2500, keystroke_p99_ms: 16, keystroke_p99_over_small_ms: 8, demo_editable_ms: 500 };
export const TYPING_LIMIT_MS = 60_000;
export const FIRST_QUESTION = 'Where does the Varesh Basin stand after the winter floods, and who gained from them?';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
export const median = (xs: number[]) => (xs.length ? round([...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]) : null);
export function percentiles(samples: number[]) {
	if (!samples.length) return { p50: null, p95: null, p99: null, max: null, samples: 0 };
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
	return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(s[s.length - 1]), samples: s.length };
}
export const load = () => os.loadavg().map((x) => round(x, 2));
