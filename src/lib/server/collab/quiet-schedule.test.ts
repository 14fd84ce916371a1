import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietSchedule } from './quiet-schedule';

describe('QuietSchedule', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('runs once activity pauses for the quiet time, once however many touches came before', () => {
		const schedule = new QuietSchedule(1000, 10_000);
		const run = vi.fn();
		for (let i = 0; i < 5; i++) {
			schedule.touch('a', run);
			vi.advanceTimersByTime(500);
		}
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(999);
		expect(run).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(5000);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('runs during continuous activity no later than the longest wait after the first touch', () => {
		const schedule = new QuietSchedule(1000, 3000);
		const run = vi.fn();
		for (let t = 0; t < 2900; t += 100) {
			schedule.touch('a', run);
			vi.advanceTimersByTime(100);
		}
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(100);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('with no longest wait, waits for a pause however long the activity goes on', () => {
		const schedule = new QuietSchedule(1000, Infinity);
		const run = vi.fn();
		for (let t = 0; t < 60_000; t += 500) {
			schedule.touch('a', run);
			vi.advanceTimersByTime(500);
		}
		expect(run).not.toHaveBeenCalled();
		vi.advanceTimersByTime(500);
		expect(run).toHaveBeenCalledTimes(1);
	});

	it('keeps keys apart, and take() hands over what waited so it can run now instead', () => {
		const schedule = new QuietSchedule(1000, 10_000);
		const a = vi.fn();
		const b = vi.fn();
		schedule.touch('a', a);
		schedule.touch('b', b);
		const waiting = schedule.take('a');
		expect(schedule.take('a')).toBeNull();
		vi.advanceTimersByTime(2000);
		expect(a).not.toHaveBeenCalled();
		expect(b).toHaveBeenCalledTimes(1);
		waiting?.();
		expect(a).toHaveBeenCalledTimes(1);
	});
});
