import type { FeedEvent, FeedTopic } from './feed';

/** What announcing needs of the feed (live/feed.ts LiveFeed). */
export type PiecePublisher = { publish(topic: FeedTopic, event: FeedEvent): void };

/**
 * A piece changed in a way lists and boards show (word count, "updated", archived, restored, deleted):
 * every pieces list hears it, and the board of its issue when it is placed in one.
 */
export function announcePieceChange(feed: PiecePublisher | null | undefined, pieceId: string, issueId: string | null): void {
	if (!feed) return;
	const event: FeedEvent = { type: 'piece', pieceId, issueId };
	feed.publish('pieces', event);
	if (issueId) feed.publish(`issue:${issueId}`, event);
}
