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
	if (rows.qa.length === 0 && rows.citations.length === 0 && rows.endnotes.length === 0) {
		const outcome = await writeMetricsAlone(db, pieceId, metrics);
		if (outcome !== 'has rows') return outcome;
	}
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
 * The rebuild of a piece whose content has no Q&A, citation or endnote rows (most edits of briefs and
 * articles), in ONE statement: the metrics written when they changed, if the piece has no such rows stored
 * either ('has rows': the caller rebuilds them in a transaction). A rebuild runs for every edited piece at
 * least every 10 s, and each statement costs a round (on PGlite, main-thread time the fan-out of edits waits
 * for): five statements (begin, lock, update, deletes, commit) become one. One statement is atomic; with no
 * rows to delete or insert, a rebuild of the same piece racing it (another process) cannot double any row,
 * and the piece's row lock orders the two updates (the later one re-reads the row: `updated_at` moves only
 * when the text it replaces differs).
 */
async function writeMetricsAlone(db: Database, pieceId: string, metrics: ReturnType<typeof pieceMetrics>): Promise<ProjectionOutcome | 'has rows'> {
	const headings = JSON.stringify(metrics.headings);
	const result = await db.execute(sql`
		with given as (select ${pieceId}::text as id, ${metrics.wordCount}::int as word_count, ${metrics.bodyText}::text as body_text, ${headings}::jsonb as headings, ${METRICS_VERSION}::int as version),
		old as (select p.issue_id, p.word_count, p.body_text = g.body_text as same_text from ${pieces} p, given g where p.id = g.id),
		stored as (select exists (select 1 from ${qaBlocks} q, given g where q.piece_id = g.id)
			or exists (select 1 from ${citations} c, given g where c.piece_id = g.id)
			or exists (select 1 from ${endnotes} e, given g where e.piece_id = g.id) as has_rows),
		changed as (
			update ${pieces} p set word_count = g.word_count, body_text = g.body_text, headings = g.headings, metrics_version = g.version,
				updated_at = case when p.body_text is distinct from g.body_text then now() else p.updated_at end
			from given g
			where p.id = g.id and not (select has_rows from stored)
				and (p.body_text is distinct from g.body_text or p.word_count <> g.word_count or p.metrics_version <> g.version or p.headings is distinct from g.headings)
			returning p.id)
		select old.issue_id, old.word_count, old.same_text, (select has_rows from stored) as has_rows from old`);
	type Row = { issue_id: string | null; word_count: number; same_text: boolean; has_rows: boolean };
	const [row] = (result as unknown as { rows?: Row[] }).rows ?? (result as unknown as Row[]);
	if (!row) return null; // deleted meanwhile: its rows went with it
	if (row.has_rows) return 'has rows';
	return { listed: !row.same_text || Number(row.word_count) !== metrics.wordCount, issueId: row.issue_id };
}

/**
 * Rows in chunks of at most 1,000 per insert: a statement has at most 65,535 parameters (Postgres's wire
 * protocol), which one insert of a long interview's turns (8 columns each) exceeds past 8,191 turns.
 */
export const PROJECTION_ROWS_PER_INSERT = 1000;
function* chunks<T>(rows: T[]): Generator<T[]> {
	for (let i = 0; i < rows.length; i += PROJECTION_ROWS_PER_INSERT) yield rows.slice(i, i + PROJECTION_ROWS_PER_INSERT);
}
