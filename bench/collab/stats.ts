// Small helpers: waiting, rounding, timeouts, percentiles and medians, a bounded pool of async work.
import type { TargetResult } from './common';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			p,
			new Promise<T>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}
export function percentiles(samples: number[]): TargetResult {
	if (samples.length === 0) return { p50: null, p95: null, p99: null, max: null, mean: null, samples: 0 };
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
	return {
		p50: round(at(0.5)),
		p95: round(at(0.95)),
		p99: round(at(0.99)),
		max: round(s[s.length - 1]),
		mean: round(s.reduce((a, b) => a + b, 0) / s.length),
		samples: s.length
	};
}
export const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);

/** Run `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	});
	await Promise.all(workers);
	return out;
}
