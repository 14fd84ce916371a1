// The live feed in one process, and between two processes through Redis when TEST_REDIS_URL is set.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveFeed, type FeedEvent } from './feed';

const feeds: LiveFeed[] = [];
afterEach(async () => {
	await Promise.all(feeds.splice(0).map((f) => f.close()));
});

function heard(feed: LiveFeed, topic: Parameters<LiveFeed['subscribe']>[0]) {
	const events: FeedEvent[] = [];
	const stop = feed.subscribe(topic, (e) => events.push(e));
	return { events, stop };
}

async function until(check: () => boolean, what: string) {
	const deadline = Date.now() + 5_000;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('the live feed in one process', () => {
	it('delivers an event to the listeners of its topic only, and stops when told', () => {
		const feed = new LiveFeed(null);
		feeds.push(feed);
		const board = heard(feed, 'issue:i1');
		const other = heard(feed, 'issue:i2');
		feed.publish('issue:i1', { type: 'board', issueId: 'i1' });
		expect(board.events).toEqual([{ type: 'board', issueId: 'i1' }]);
		expect(other.events).toEqual([]);
		board.stop();
		other.stop();
		feed.publish('issue:i1', { type: 'board', issueId: 'i1' });
		expect(board.events).toHaveLength(1);
		expect(feed.listenerCount).toBe(0);
	});

	it('keeps delivering to the others when one listener throws', () => {
		const feed = new LiveFeed(null);
		feeds.push(feed);
		feed.subscribe('user:u1', () => {
			throw new Error('broken page');
		});
		const ok = heard(feed, 'user:u1');
		feed.publish('user:u1', { type: 'notifications' });
		expect(ok.events).toEqual([{ type: 'notifications' }]);
	});
});

describe.skipIf(!process.env.TEST_REDIS_URL)('the live feed across processes (Redis)', () => {
	it("delivers one process's events to the other's listeners exactly once", async () => {
		const one = new LiveFeed(process.env.TEST_REDIS_URL);
		const two = new LiveFeed(process.env.TEST_REDIS_URL);
		feeds.push(one, two);
		await Promise.all([one.ready(), two.ready()]);
		const topic = `issue:${crypto.randomUUID()}` as const;
		const here = heard(one, topic);
		const there = heard(two, topic);
		one.publish(topic, { type: 'piece', pieceId: 'p1', issueId: 'i1' });
		await until(() => there.events.length > 0, 'the event on the other process');
		// a second event proves ordering and that the first was not delivered twice
		one.publish(topic, { type: 'board', issueId: 'i1' });
		await until(() => there.events.length > 1, 'the second event');
		expect(there.events).toEqual([
			{ type: 'piece', pieceId: 'p1', issueId: 'i1' },
			{ type: 'board', issueId: 'i1' }
		]);
		expect(here.events).toHaveLength(2); // its own process hears it at once, not again through Redis
	});
});
