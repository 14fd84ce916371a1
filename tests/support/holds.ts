// For what must not happen within a bound (vitest has `vi.waitFor` for what must happen, nothing for this):
// the check is run again and again for the whole bound and fails the test as soon as it fails, rather than
// a sleep followed by one look.

/** Passes when `check` held every time it was run during `ms`; throws its error the first time it does not. */
export async function holdsFor(ms: number, check: () => unknown | Promise<unknown>, { interval = 50 } = {}): Promise<void> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		await check();
		await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, end - Date.now()))));
	}
	await check();
}
