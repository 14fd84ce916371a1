// A reader of GET /api/events (server-sent events) for integration tests: collects the events as they
// arrive. `ready` resolves once the server has subscribed the stream (its opening comment), so nothing
// published after it is missed.
import { expect } from 'vitest';
import type { TestClient } from './api-client';

export interface LiveEvent {
	type: string;
	data: Record<string, unknown>;
}

/** Listen to `/api/events<query>` as `client` (its Bearer token); `stop` ends the stream. */
export function listenToEvents(client: TestClient, query = '') {
	const events: LiveEvent[] = [];
	const controller = new AbortController();
	const ready = fetch(`${client.base}/api/events${query}`, { headers: { authorization: `Bearer ${client.token}` }, signal: controller.signal }).then(async (res) => {
		expect(res.status).toBe(200);
		const reader = res.body!.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		let opened!: () => void;
		const open = new Promise<void>((resolve) => (opened = resolve));
		void (async () => {
			try {
				for (;;) {
					const { done, value } = await reader.read();
					if (done) return;
					buffer += decoder.decode(value, { stream: true });
					let end;
					while ((end = buffer.indexOf('\n\n')) !== -1) {
						const block = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (block.includes(': listening')) opened();
						const type = /^event: (.*)$/m.exec(block)?.[1];
						const data = /^data: (.*)$/m.exec(block)?.[1];
						if (type && data) events.push({ type, data: JSON.parse(data) });
					}
				}
			} catch {
				/* aborted */
			}
		})();
		await open;
	});
	return { events, ready, stop: () => controller.abort() };
}
