import { afterNavigate, beforeNavigate, invalidate } from '$app/navigation';

/**
 * Re-reading a page's data when a live event says it changed (`invalidate(dependency)`), one read at a time,
 * never while the person is leaving the page: SvelteKit's invalidate supersedes a navigation in flight, so a
 * nudge arriving just after a click on a piece (or after "Create piece") would cancel going there. Call from
 * a component's initialisation; returns the function to call on each event.
 */
export function liveReread(dependency: string, after: () => void = () => {}): () => void {
	let leaving = false;
	let reading: Promise<void> | null = null;
	let again = false;
	beforeNavigate(({ to }) => {
		// a change of the page's own query (filters, paging) re-reads anyway
		leaving = to?.url.pathname !== location.pathname;
	});
	afterNavigate(() => (leaving = false));
	const reread = () => {
		if (leaving) return;
		if (reading) {
			again = true;
			return;
		}
		reading = invalidate(dependency).finally(() => {
			reading = null;
			after();
			if (again) {
				again = false;
				reread();
			}
		});
	};
	return reread;
}
