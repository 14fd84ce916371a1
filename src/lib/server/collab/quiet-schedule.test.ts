import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietSchedule } from './quiet-schedule';

/** Touch `key` every `everyMs` for `forMs` (activity that never pauses as long as that). */
function keepTouching(schedule: QuietSchedule, run: () => void, everyMs: number, forMs: number) {
	for (let t = 0; t < forMs; t += everyMs) {
		schedule.touch('a', run);
		vi.advanceTimersByTime(everyMs);
	}
}

describe('QuietSchedule', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('runs once activity pauses for the quiet time, once however many touches came before', () => {
		const schedule = new QuietSchedule(1000, 10_000);
		const run = vi.fn();
		keepTouching(schedule, run, 500, 2500);
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(999);
		expect(run).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(5000);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('runs during continuous activity no later than the longest wait after the first touch', () => {
		const schedule = new QuietSchedule(1000, 3000);
		const run = vi.fn();
		keepTouching(schedule, run, 100, 2900);
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(100);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('with no longest wait, waits for a pause however long the activity goes on', () => {
		const schedule = new QuietSchedule(1000, Infinity);
		const run = vi.fn();
		keepTouching(schedule, run, 500, 60_000);
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(500);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('keeps keys apart, and cancel() stops what waited for one key only, telling whether anything did', () => {
		const schedule = new QuietSchedule(1000, 10_000);
		const a = vi.fn();
		const b = vi.fn();
		schedule.touch('a', a);
		schedule.touch('b', b);
		expect(schedule.cancel('a')).toBe(true);
		expect(schedule.cancel('a')).toBe(false);
		vi.advanceTimersByTime(2000);
		expect(a).not.toHaveBeenCalled();
		expect(b).toHaveBeenCalledTimes(1);
	});
});
