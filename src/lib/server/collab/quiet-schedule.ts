/**
 * Background work per document that should not run after every commit: it runs once the document's
 * activity pauses for `quietMs`, and during continuous activity at most `maxWaitMs` after the first touch.
 * One timer per waiting key, re-armed only when it fires (no timer churn per keystroke).
 */
export class QuietSchedule {
	private waiting = new Map<string, { since: number; last: number; timer: NodeJS.Timeout; run: () => void }>();

	/** `maxWaitMs` Infinity: run only once activity pauses. */
	constructor(
		private quietMs: number,
		private maxWaitMs: number
	) {}

	/** Note activity on `key`; `run` is called once it is due (the latest `run` given wins). */
	touch(key: string, run: () => void): void {
		const now = Date.now();
		const entry = this.waiting.get(key);
		if (entry) {
			entry.last = now; // the timer looks at this when it fires
			entry.run = run;
			return;
		}
		const fresh = { since: now, last: now, timer: null as unknown as NodeJS.Timeout, run };
		const fire = () => {
			const at = Date.now();
			const due = Math.min(fresh.last + this.quietMs, fresh.since + this.maxWaitMs);
			if (at < due) {
				fresh.timer = setTimeout(fire, due - at);
				fresh.timer.unref();
				return;
			}
			this.waiting.delete(key);
			fresh.run();
		};
		fresh.timer = setTimeout(fire, this.quietMs);
		fresh.timer.unref();
		this.waiting.set(key, fresh);
	}

	/** Cancel what waits for `key` (its caller does the work now instead); false when nothing waited. */
	cancel(key: string): boolean {
		const entry = this.waiting.get(key);
		if (!entry) return false;
		clearTimeout(entry.timer);
		this.waiting.delete(key);
		return true;
	}

	/** Cancel everything (shutdown). */
	clear(): void {
		for (const entry of this.waiting.values()) clearTimeout(entry.timer);
		this.waiting.clear();
	}
}
