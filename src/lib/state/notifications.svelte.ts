// The signed-in person's unread notification count, kept live: the layout creates one per page load (through
// context, never a module-level singleton) and listens to the server-sent events at /api/events. Each
// `notifications` event is a nudge: the count is re-read through the API (no polling). Pages that show the
// notifications watch `version` to re-read their list.
import { getContext, setContext } from 'svelte';

const KEY = Symbol('galley.notifications');

export class LiveNotifications {
	unread = $state(0);
	/** Raised on every `notifications` event. */
	version = $state(0);
	private source: EventSource | null = null;

	constructor(unread: number) {
		this.unread = unread;
	}

	/** Start listening (in the browser); returns the function that stops. */
	connect(): () => void {
		if (typeof EventSource === 'undefined') return () => {};
		const source = new EventSource('/api/events');
		this.source = source;
		source.addEventListener('notifications', () => {
			this.version++;
			void this.refresh();
		});
		// after a reconnect, events sent meanwhile were missed: re-read
		let opened = false;
		source.addEventListener('open', () => {
			if (opened) void this.refresh();
			opened = true;
		});
		return () => {
			source.close();
			if (this.source === source) this.source = null;
		};
	}

	/** Re-read the unread count. */
	async refresh(): Promise<void> {
		try {
			const res = await fetch('/api/notifications?limit=1');
			if (res.ok) this.unread = ((await res.json()) as { unread: number }).unread;
		} catch {
			/* offline: the next event or reconnect re-reads */
		}
	}
}

export function setLiveNotifications(live: LiveNotifications): void {
	setContext(KEY, live);
}

export function liveNotifications(): LiveNotifications | undefined {
	return getContext<LiveNotifications | undefined>(KEY);
}
