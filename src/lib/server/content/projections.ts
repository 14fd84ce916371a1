import { eq } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import type { Database } from '../db/client';
import { citations, endnotes, pieces, qaBlocks } from '../db/schema';
import { projectContent } from '../../editor/projection';

/**
 * Rebuild a piece's Q&A, citation and endnote rows from its content, in one transaction. Rebuilds of one
 * piece take turns (a lock on its `pieces` row): two at once (two processes, or an unload racing the
 * debounce) would otherwise each delete only the rows committed before they started and both insert,
 * doubling every row under Postgres' read committed.
 */
export async function writeProjections(db: Database, pieceId: string, doc: JSONContent): Promise<void> {
	const rows = projectContent(doc);
	await db.transaction(async (tx) => {
		const [piece] = await tx.select({ id: pieces.id }).from(pieces).where(eq(pieces.id, pieceId)).for('no key update');
		if (!piece) return; // deleted meanwhile: its rows went with it
		await tx.delete(qaBlocks).where(eq(qaBlocks.pieceId, pieceId));
		await tx.delete(citations).where(eq(citations.pieceId, pieceId));
		await tx.delete(endnotes).where(eq(endnotes.pieceId, pieceId));
		if (rows.qa.length) await tx.insert(qaBlocks).values(rows.qa.map((r) => ({ ...r, pieceId })));
		if (rows.citations.length) await tx.insert(citations).values(rows.citations.map((r) => ({ ...r, pieceId })));
		if (rows.endnotes.length) await tx.insert(endnotes).values(rows.endnotes.map((r) => ({ ...r, pieceId })));
	});
}
