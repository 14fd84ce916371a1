import * as Y from 'yjs';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { documentStates, documentUpdates } from '../db/schema';

export interface StoredDocument {
	/** State row plus every update row, merged. Null: the piece has never been stored. */
	update: Uint8Array | null;
	updateRows: number;
}

/** Reads and writes a piece's Yjs bytes. The only code that touches document_states / document_updates. */
export class DocumentStore {
	constructor(private db: Database) {}

	async load(pieceId: string): Promise<StoredDocument> {
		const [stateRows, updateRows] = await Promise.all([
			this.db.select({ state: documentStates.state }).from(documentStates).where(eq(documentStates.pieceId, pieceId)),
			this.db
				.select({ update: documentUpdates.update })
				.from(documentUpdates)
				.where(eq(documentUpdates.pieceId, pieceId))
				.orderBy(asc(documentUpdates.id))
		]);
		const parts = [...stateRows.map((r) => r.state), ...updateRows.map((r) => r.update)];
		return { update: parts.length === 0 ? null : parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), updateRows: updateRows.length };
	}

	/**
	 * Append a batch of updates in ONE statement: atomic, and on PGlite a top-level query, which waits for
	 * the filesystem sync (unlike PGlite transactions, see stack notes).
	 */
	async append(batch: { pieceId: string; update: Uint8Array }[]): Promise<void> {
		if (batch.length === 0) return;
		await this.db.insert(documentUpdates).values(batch);
	}

	/**
	 * Merge a piece's update rows into its state row, atomically. The rows stay until the merged state is
	 * committed in the same transaction; rows appended meanwhile (higher ids) are left for next time.
	 */
	async compact(pieceId: string): Promise<number> {
		return this.db.transaction(async (tx) => {
			const rows = await tx
				.select({ id: documentUpdates.id, update: documentUpdates.update })
				.from(documentUpdates)
				.where(eq(documentUpdates.pieceId, pieceId))
				.orderBy(asc(documentUpdates.id));
			if (rows.length === 0) return 0;
			const [current] = await tx
				.select({ state: documentStates.state })
				.from(documentStates)
				.where(eq(documentStates.pieceId, pieceId))
				.for('update');
			const parts = current ? [current.state, ...rows.map((r) => r.update)] : rows.map((r) => r.update);
			const merged = Y.mergeUpdates(parts);
			const maxId = rows[rows.length - 1].id;
			await tx
				.insert(documentStates)
				.values({ pieceId, state: merged, mergedThrough: maxId })
				.onConflictDoUpdate({
					target: documentStates.pieceId,
					set: { state: merged, mergedThrough: maxId, updatedAt: sql`now()` }
				});
			await tx
				.delete(documentUpdates)
				.where(and(eq(documentUpdates.pieceId, pieceId), lte(documentUpdates.id, maxId)));
			return rows.length;
		});
	}

	/** Store a whole state at once (seeding a new piece from a template or an import). */
	async seed(pieceId: string, update: Uint8Array): Promise<void> {
		await this.db.insert(documentUpdates).values({ pieceId, update });
	}
}
