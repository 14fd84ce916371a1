// One place that tells the live feed (live/feed.ts) what changed, so every route and job says it the same way.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { pieces } from '../db/schema';
import type { LiveFeed } from './feed';

/**
 * A piece changed in a way lists and boards show (review state, title, kind, authors, word count,
 * placing, archived): every pieces list hears `{type:'piece'}` on `pieces`, and the board of the issue
 * it is in (if any) on `issue:<id>`. Call it after the change is stored. A piece that is gone is ignored.
 */
export async function announcePieceChanged(feed: LiveFeed, db: Database, pieceId: string): Promise<void> {
	const [piece] = await db.select({ issueId: pieces.issueId }).from(pieces).where(eq(pieces.id, pieceId));
	if (!piece) return;
	const event = { type: 'piece', pieceId, issueId: piece.issueId } as const;
	feed.publish('pieces', event);
	if (piece.issueId) feed.publish(`issue:${piece.issueId}`, event);
}

/** An issue's board changed (its details, sections, placing, assignments): its watchers re-read it. */
export function announceBoardChanged(feed: LiveFeed, issueId: string): void {
	feed.publish(`issue:${issueId}`, { type: 'board', issueId });
}

/** A piece's comments or history changed: the pages that have the piece open re-read them. */
export function announcePieceActivity(feed: LiveFeed, pieceId: string, what: 'comments' | 'history'): void {
	feed.publish(`piece:${pieceId}`, { type: what, pieceId });
}
