import { eq, sql } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import type { Database } from '../db/client';
import { citations, endnotes, pieces, qaBlocks } from '../db/schema';
import { projectContent } from '../../editor/projection';
import { METRICS_VERSION, pieceMetrics } from './metrics';

/**
 * What a rebuild changed that lists show: `listed` when the word count moved or the printed text changed
 * (and so `updated_at` moved); the piece's issue, to announce it (live/piece-events.ts). Null when the
 * piece is gone.
 */
export type ProjectionOutcome = { listed: boolean; issueId: string | null } | null;

/**
 * Rebuild a piece's Q&A, citation and endnote rows and its metrics (word count, body text, headings:
 * content/metrics.ts) from its content, in one transaction. When the printed text changed, the piece's
 * `updated_at` moves too. Rebuilds of one piece take turns (a lock on its `pieces` row): two at once (two processes, or an unload racing the
 * debounce) would otherwise each delete only the rows committed before they started and both insert,
 * doubling every row under Postgres' read committed.
 */
export async function writeProjections(db: Database, pieceId: string, doc: JSONContent): Promise<ProjectionOutcome> {
	const rows = projectContent(doc);
	const metrics = pieceMetrics(doc);
	return db.transaction(async (tx) => {
		const [piece] = await tx
			.select({ id: pieces.id, issueId: pieces.issueId, wordCount: pieces.wordCount, bodyText: pieces.bodyText, headings: pieces.headings, metricsVersion: pieces.metricsVersion })
			.from(pieces)
			.where(eq(pieces.id, pieceId))
			.for('no key update');
		if (!piece) return null; // deleted meanwhile: its rows went with it
		const touched = piece.bodyText !== metrics.bodyText;
		if (touched || piece.wordCount !== metrics.wordCount || piece.metricsVersion !== METRICS_VERSION || JSON.stringify(piece.headings) !== JSON.stringify(metrics.headings)) {
			await tx
				.update(pieces)
				.set({ ...metrics, metricsVersion: METRICS_VERSION, ...(touched ? { updatedAt: sql`now()` } : {}) })
				.where(eq(pieces.id, pieceId));
		}
		// The three deletes in one statement: a rebuild runs for every edited piece at least every 10 s, and
		// each statement costs a round (on PGlite, main-thread time the fan-out of edits waits for).
		await tx.execute(
			sql`with qa as (delete from ${qaBlocks} where ${qaBlocks.pieceId} = ${pieceId}), cited as (delete from ${citations} where ${citations.pieceId} = ${pieceId}) delete from ${endnotes} where ${endnotes.pieceId} = ${pieceId}`
		);
		for (const chunk of chunks(rows.qa)) await tx.insert(qaBlocks).values(chunk.map((r) => ({ ...r, pieceId })));
		for (const chunk of chunks(rows.citations)) await tx.insert(citations).values(chunk.map((r) => ({ ...r, pieceId })));
		for (const chunk of chunks(rows.endnotes)) await tx.insert(endnotes).values(chunk.map((r) => ({ ...r, pieceId })));
		return { listed: touched || piece.wordCount !== metrics.wordCount, issueId: piece.issueId };
	});
}

/**
 * Rows in chunks of at most 1,000 per insert: a statement has at most 65,535 parameters (Postgres's wire
 * protocol), which one insert of a long interview's turns (8 columns each) exceeds past 8,191 turns.
 */
export const PROJECTION_ROWS_PER_INSERT = 1000;
function* chunks<T>(rows: T[]): Generator<T[]> {
	for (let i = 0; i < rows.length; i += PROJECTION_ROWS_PER_INSERT) yield rows.slice(i, i + PROJECTION_ROWS_PER_INSERT);
}
