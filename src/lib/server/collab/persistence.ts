import * as Y from 'yjs';
import { and, asc, eq, getTableName, lte, sql } from 'drizzle-orm';
import { embeddedClient, type Database } from '../db/client';
import { documentStates, documentUpdates } from '../db/schema';
import { LOAD_REPAIRS_VERSION, needsLoadRepairs } from './load-repairs';

export interface StoredDocument {
	/** State row plus every update row, merged. Null: the piece has never been stored. */
	update: Uint8Array | null;
	updateRows: number;
	/**
	 * `update` is a state row alone that its compaction found needing no load repair (under the current
	 * LOAD_REPAIRS_VERSION) and holding no deleted content: it may reach a client before it is decoded here.
	 */
	clean: boolean;
}

/** Reads and writes a piece's Yjs bytes. The only code that touches document_states / document_updates. */
export class DocumentStore {
	/** The PGlite behind `db`, for the group commit's insert (see append); null on Postgres or in a transaction. */
	private embedded: { exec(query: string): Promise<unknown> } | null;

	constructor(private db: Database) {
		this.embedded = embeddedClient(db);
	}

	/**
	 * The insert of one update row, built once: nearly every commit stores one document's updates, and
	 * building the statement anew cost more main-thread time than PGlite's whole execution of it.
	 */
	private appendOne: { execute(values: { pieceId: string; update: Uint8Array }): Promise<unknown> } | null = null;
	/** The inserts of 2 to PREPARED_BATCH_ROWS rows, each built and prepared at its first use (see append). */
	private appendMany = new Map<number, { execute(values: Record<string, unknown>): Promise<unknown> }>();

	/**
	 * One statement, so the state row and the update rows come from one snapshot (two statements could
	 * straddle a compaction by another process: its rows deleted, its merged state not yet seen). The bytes
	 * travel as base64 text: about a third fewer characters than bytea's hex text, decoded by Buffer.
	 */
	async load(pieceId: string): Promise<StoredDocument> {
		const rows = await this.db
			.select({
				seq: sql<string>`-1::bigint`.as('seq'),
				data: sql<string>`encode(${documentStates.state}, 'base64')`.as('data'),
				clean: sql<number>`${documentStates.cleanAsOf}`.as('clean')
			})
			.from(documentStates)
			.where(eq(documentStates.pieceId, pieceId))
			.unionAll(
				this.db
					.select({ seq: sql<string>`${documentUpdates.id}`.as('seq'), data: sql<string>`encode(${documentUpdates.update}, 'base64')`.as('data'), clean: sql<number>`0`.as('clean') })
					.from(documentUpdates)
					.where(eq(documentUpdates.pieceId, pieceId))
			)
			.orderBy(sql`1`);
		const parts = rows.map((r) => fromBase64(r.data));
		const stateRow = rows.length > 0 && Number(rows[0].seq) === -1;
		const updateRows = rows.length - (stateRow ? 1 : 0);
		const clean = stateRow && updateRows === 0 && Number(rows[0].clean) === LOAD_REPAIRS_VERSION;
		return { update: parts.length === 0 ? null : parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), updateRows, clean };
	}

	/**
	 * Append a batch of updates in ONE statement: atomic, and on PGlite a top-level query, which waits for
	 * the filesystem sync (unlike PGlite transactions, see stack notes).
	 */
	async append(batch: { pieceId: string; update: Uint8Array }[]): Promise<void> {
		if (batch.length === 0) return;
		const literal = this.embedded && literalInsert(batch);
		if (literal) {
			await this.embedded!.exec(literal);
			return;
		}
		if (batch.length === 1) {
			this.appendOne ??= this.db
				.insert(documentUpdates)
				.values({ pieceId: sql.placeholder('pieceId'), update: sql.placeholder('update') })
				.prepare('galley_append_update');
			await this.appendOne.execute(batch[0]);
			return;
		}
		// A few rows: an insert of n rows prepared once per n (named: drizzle's unnamed statements are never
		// prepared, so postgres.js has each one described by the server first, one more exchange per commit).
		if (batch.length <= PREPARED_BATCH_ROWS) {
			let prepared = this.appendMany.get(batch.length);
			if (!prepared) {
				const rows = batch.map((_, i) => ({ pieceId: sql.placeholder(`pieceId${i}`), update: sql.placeholder(`update${i}`) }));
				prepared = this.db.insert(documentUpdates).values(rows).prepare(`galley_append_updates_${batch.length}`);
				this.appendMany.set(batch.length, prepared);
			}
			const values: Record<string, unknown> = {};
			batch.forEach(({ pieceId, update }, i) => {
				values[`pieceId${i}`] = pieceId;
				values[`update${i}`] = update;
			});
			await prepared.execute(values);
			return;
		}
		// More: one statement whose text does not depend on their number (two arrays, unnested), not a new
		// statement text for every n.
		const pieceIds = batch.map((row) => row.pieceId);
		const updates = batch.map(({ update }) => Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('base64'));
		await this.db.execute(
			sql`insert into ${documentUpdates} (${sql.identifier(documentUpdates.pieceId.name)}, ${sql.identifier(documentUpdates.update.name)}) select piece_id, decode(data, 'base64') from unnest(${sql.param(pieceIds)}::text[], ${sql.param(updates)}::text[]) as batch(piece_id, data)`
		);
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
			const { state: merged, clean } = compactState(parts);
			const cleanAsOf = clean ? LOAD_REPAIRS_VERSION : 0;
			const maxId = rows[rows.length - 1].id;
			await tx
				.insert(documentStates)
				.values({ pieceId, state: merged, cleanAsOf })
				.onConflictDoUpdate({
					target: documentStates.pieceId,
					set: { state: merged, cleanAsOf, updatedAt: sql`now()` }
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

/** Batches up to this many rows are inserted by a prepared statement of their size (DocumentStore.append). */
const PREPARED_BATCH_ROWS = 64;

/** Piece ids as Galley makes them (UUIDs): safe to write into a statement as they are. */
const SAFE_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * The INSERT of a batch of update rows with the values written in: on PGlite, about a third of the
 * main-thread time of the same statement with parameters (see embeddedClient), at every commit. The bytes
 * go as bytea hex text in an escape-string literal (valid whatever standard_conforming_strings says).
 * Null when a piece id is not one Galley makes (that batch goes with parameters).
 */
function literalInsert(batch: { pieceId: string; update: Uint8Array }[]): string | null {
	if (!batch.every(({ pieceId }) => SAFE_ID.test(pieceId))) return null;
	const rows = batch.map(({ pieceId, update }) => {
		const hex = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('hex');
		return `('${pieceId}', E'\\\\x${hex}')`;
	});
	return `insert into ${getTableName(documentUpdates)} (${documentUpdates.pieceId.name}, ${documentUpdates.update.name}) values ${rows.join(', ')}`;
}

/**
 * One update holding all of `parts`, with the text of deleted content dropped (Yjs garbage collection):
 * Y.mergeUpdates would keep every deleted character forever, so a much-edited piece would load ever more
 * bytes. Applied to a scratch document, never to a live one; structs still waiting for a missing
 * dependency are kept (encodeStateAsUpdate includes them). `clean`: nothing waits for a dependency (all the
 * state is garbage-collected) and the state needs no load repair (load-repairs.ts).
 */
export function compactState(parts: Uint8Array[]): { state: Uint8Array; clean: boolean } {
	const doc = new Y.Doc({ gc: true });
	try {
		doc.transact(() => {
			for (const part of parts) Y.applyUpdate(doc, part);
		});
		const state = Y.encodeStateAsUpdate(doc);
		const waiting = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
		return { state, clean: !waiting && !needsLoadRepairs(doc) };
	} finally {
		doc.destroy();
	}
}

function fromBase64(text: string): Uint8Array {
	const buf = Buffer.from(text, 'base64');
	return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
