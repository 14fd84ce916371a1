import { Redis } from 'ioredis';
import { logger, type Logger } from '../log';

// The live feed: what pages that show more than one piece (the issue board, the pieces list, the header's
// unread count) need to hear about without polling. Events are nudges: a page that hears one re-reads what
// it shows through the API, with its own rights. Across processes through Redis when REDIS_URL is set.

/**
 * Whom an event concerns: everyone who watches an issue's board, one person, every pieces list, or the
 * open pages of one piece (its comments and history).
 */
export type FeedTopic = `issue:${string}` | `user:${string}` | 'pieces' | `piece:${string}`;

export type FeedEvent =
	/** The board of an issue changed: the issue's details, its sections, placing, assignments. */
	| { type: 'board'; issueId: string }
	/** A piece changed in a way lists show: review state, details, word count, "updated", archived. */
	| { type: 'piece'; pieceId: string; issueId: string | null }
	/** The person's notifications changed (a new one, one read): re-read the unread count. */
	| { type: 'notifications' }
	/** A piece's comment threads changed (written, edited, deleted, resolved, reopened): re-read them. */
	| { type: 'comments'; pieceId: string }
	/** A piece's history changed (a review move, a version saved or restored): re-read it. */
	| { type: 'history'; pieceId: string };

type Listener = (event: FeedEvent) => void;

const CHANNEL = 'galley:feed';

export class LiveFeed {
	private listeners = new Map<string, Set<Listener>>();
	private pub: Redis | null = null;
	private sub: Redis | null = null;
	private readonly id = crypto.randomUUID();
	private subscribed: Promise<unknown> = Promise.resolve();

	constructor(
		redisUrl: string | null | undefined,
		private log: Logger = logger
	) {
		if (!redisUrl) return;
		const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
		this.pub = new Redis(redisUrl, options);
		this.sub = new Redis(redisUrl, options);
		for (const client of [this.pub, this.sub]) client.on('error', (err) => this.log.warn({ err }, 'redis error (live feed)'));
		this.sub.on('message', (_channel: string, message: string) => this.received(message));
		this.subscribed = this.sub.subscribe(CHANNEL).catch((err: unknown) => this.log.warn({ err }, 'redis subscribe failed (live feed)'));
	}

	/** Resolves once the feed hears the other processes (at once without Redis). */
	ready(): Promise<unknown> {
		return this.subscribed;
	}

	/** Tell this process's listeners of `topic`, and the other processes'. */
	publish(topic: FeedTopic, event: FeedEvent): void {
		this.deliver(topic, event);
		this.pub?.publish(CHANNEL, JSON.stringify({ from: this.id, topic, event })).catch((err) => this.log.warn({ err }, 'redis publish failed (live feed)'));
	}

	/** Listen to a topic; returns the function that stops listening. */
	subscribe(topic: FeedTopic, listener: Listener): () => void {
		let set = this.listeners.get(topic);
		if (!set) this.listeners.set(topic, (set = new Set()));
		set.add(listener);
		return () => {
			set.delete(listener);
			if (!set.size && this.listeners.get(topic) === set) this.listeners.delete(topic);
		};
	}

	/** How many listeners there are (tests, leak checks). */
	get listenerCount(): number {
		let n = 0;
		for (const set of this.listeners.values()) n += set.size;
		return n;
	}

	private received(message: string) {
		try {
			const { from, topic, event } = JSON.parse(message) as { from: string; topic: FeedTopic; event: FeedEvent };
			if (from !== this.id) this.deliver(topic, event);
		} catch (err) {
			this.log.warn({ err }, 'unreadable live feed message');
		}
	}

	private deliver(topic: string, event: FeedEvent) {
		for (const listener of [...(this.listeners.get(topic) ?? [])]) {
			try {
				listener(event);
			} catch (err) {
				this.log.warn({ err }, 'live feed listener failed');
			}
		}
	}

	async close(): Promise<void> {
		this.listeners.clear();
		await Promise.all([this.pub?.quit().catch(() => {}), this.sub?.quit().catch(() => {})]);
	}
}
