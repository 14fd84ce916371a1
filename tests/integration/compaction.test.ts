// Compaction against a real database (PGlite, and Postgres when TEST_DATABASE_URL is set): a piece's
// update rows are merged into its state row atomically, the content is exactly what the rows held, rows
// appended meanwhile are kept for next time, and deleted text does not live on in the stored state; the
// server merges a live document's rows by itself once editing pauses.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { eq, inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { bodyText, editorWithPiece, useStoredPiece } from '../support/collab-fixture';
import { documentStates, documentUpdates } from '../../src/lib/server/db/schema';
import { DocumentStore } from '../../src/lib/server/collab/persistence';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

describe.each(databaseKinds())('compaction on %s', (kind) => {
	// a real piece (and its seeded template row), made the way users make one
	const stored = useStoredPiece(kind);
	let store: DocumentStore;
	beforeAll(() => {
		store = new DocumentStore(stored.handle.db);
	});

	const rowCount = async () => (await stored.handle.db.select({ id: documentUpdates.id }).from(documentUpdates).where(eq(documentUpdates.pieceId, stored.pieceId))).length;
	/** The piece's update rows, oldest first. */
	const updateRows = () =>
		stored.handle.db
			.select({ id: documentUpdates.id, update: documentUpdates.update })
			.from(documentUpdates)
			.where(eq(documentUpdates.pieceId, stored.pieceId))
			.orderBy(documentUpdates.id);

	it('merges every row into the state, keeps the content exactly, and drops the text of deletions', async () => {
		const doc = new Y.Doc();
		const seeded = await store.load(stored.pieceId);
		Y.applyUpdate(doc, seeded.update!);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const body = doc.getXmlFragment(BODY_FRAGMENT);
		// 250 edits: 200 paragraphs of 500 characters, then 50 deletions of three paragraphs each
		for (let i = 0; i < 200; i++) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`[p${i}]` + 'x'.repeat(500))]);
			body.push([p]);
		}
		for (let i = 0; i < 50; i++) body.delete(body.length - 4, 3);
		for (const update of updates) await store.append([{ pieceId: stored.pieceId, update }]);
		const expected = body.toString();
		const rowsBefore = await rowCount();
		expect(rowsBefore).toBe(251); // the template's row and ours

		const loadedBefore = await store.load(stored.pieceId);
		expect(bodyText(loadedBefore.update!)).toBe(expected);
		expect(await store.compact(stored.pieceId)).toBe(rowsBefore);
		expect(await rowCount()).toBe(0);

		const [state] = await stored.handle.db.select({ state: documentStates.state }).from(documentStates).where(eq(documentStates.pieceId, stored.pieceId));
		expect(bodyText(state.state)).toBe(expected);
		// 100 kB of text written, three quarters of it deleted: the stored state keeps the live paragraphs'
		// text and only lengths for the deleted ones, unlike a plain merge of the rows (which keeps it all).
		const plainMerge = Y.mergeUpdates([seeded.update!, ...updates]);
		expect(plainMerge.length).toBeGreaterThan(100_000);
		expect(state.state.length).toBeLessThan(plainMerge.length / 2);
		expect(bodyText((await store.load(stored.pieceId)).update!)).toBe(expected);
		doc.destroy();
	});

	it('keeps rows appended after the compaction read them, and merges them next time', async () => {
		const before = await store.load(stored.pieceId);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, before.update!);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		const body = doc.getXmlFragment(BODY_FRAGMENT);
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('[late]')]);
		body.push([p]);
		// the append races the compaction: whichever wins, nothing is lost
		await Promise.all([store.compact(stored.pieceId), store.append([{ pieceId: stored.pieceId, update: updates[0] }])]);
		expect(bodyText((await store.load(stored.pieceId)).update!)).toBe(body.toString());
		await store.compact(stored.pieceId);
		expect(await rowCount()).toBe(0);
		expect(bodyText((await store.load(stored.pieceId)).update!)).toBe(body.toString());
		doc.destroy();
	});

	it('stores every byte value of appended updates exactly, one row per update, in one statement per batch', async () => {
		// every byte value, quote and backslash included (PGlite gets the rows written into the statement)
		const every = new Uint8Array(512).map((_, i) => i % 256);
		const before = await rowCount();
		await store.append([
			{ pieceId: stored.pieceId, update: every },
			{ pieceId: stored.pieceId, update: new Uint8Array([0x27, 0x5c, 0x00, 0x78]) }
		]);
		await store.append([{ pieceId: stored.pieceId, update: every.slice(0, 1) }]);
		const rows = await updateRows();
		expect(rows.length).toBe(before + 3);
		const added = rows.slice(-3);
		expect([...added[0].update]).toEqual([...every]);
		expect([...added[1].update]).toEqual([0x27, 0x5c, 0x00, 0x78]);
		expect([...added[2].update]).toEqual([0]);
		// not Yjs updates: taken out again before anything loads the piece
		await stored.handle.db.delete(documentUpdates).where(inArray(documentUpdates.id, added.map((r) => r.id)));
		await expect(store.append([{ pieceId: "x'); drop table pieces; --", update: every }])).rejects.toThrow();
	});

	it('stores a batch of more rows than a prepared insert takes (70: on Postgres one unnested statement) exactly and in order', async () => {
		const every = new Uint8Array(512).map((_, i) => i % 256);
		const batch = Array.from({ length: 70 }, (_, i) => ({ pieceId: stored.pieceId, update: i === 0 ? every : new Uint8Array([i, 0x27, 0x5c, 0x00, 255 - i]) }));
		const before = await rowCount();
		await store.append(batch);
		const rows = await updateRows();
		expect(rows.length).toBe(before + 70);
		const added = rows.slice(-70);
		expect(added.map((r) => [...r.update])).toEqual(batch.map((r) => [...r.update]));
		// not Yjs updates: taken out again before anything loads the piece
		await stored.handle.db.delete(documentUpdates).where(inArray(documentUpdates.id, added.map((r) => r.id)));
	});
});

// A live document: its rows are merged by the server itself, not while someone types (merging reads the
// whole document and would hold up the fan-out of edits) but once typing pauses. Postgres only: it can be
// read while the server runs (a PGlite folder belongs to the one process that has it open).
describe.skipIf(!process.env.TEST_DATABASE_URL)('compaction of a live document (Postgres)', () => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley | undefined;
	let client: CollabClient | undefined;
	let sql: postgres.Sql | undefined;

	afterAll(async () => {
		client?.destroy();
		await galley?.stop();
		await sql?.end();
		await database?.drop();
	});

	it('waits while edits keep coming, then merges the rows into the state once they pause', async () => {
		database = await freshTestDatabase('postgres');
		galley = await startGalley(serverEnv(database));
		sql = postgres(database.env.DATABASE_URL, { onnotice: () => {} });
		const { token, pieceId } = await editorWithPiece(galley.url);
		client = connectCollab(galley.wsUrl, pieceId, { token }, { presence: false });
		await client.synced;
		const rows = async () => Number((await sql!`select count(*) as n from document_updates where piece_id = ${pieceId}`)[0].n);

		// 260 edits, each sent once the previous one is durable (so each is its own commit and its own row),
		// with never a 2 s pause between two
		for (let i = 0; i < 260; i++) {
			client.appendParagraph(`edit ${i}`);
			await vi.waitFor(() => expect(client!.ownEditsAcked()).toBe(true), { timeout: 10_000, interval: 2 });
		}
		const stored = await rows();
		expect(stored).toBeGreaterThanOrEqual(260); // past the compaction threshold, and still every row

		await vi.waitFor(async () => expect(await rows()).toBe(0), { timeout: 15_000 });
		const [state] = await sql`select state from document_states where piece_id = ${pieceId}`;
		const paragraphs = bodyText(new Uint8Array(state.state)).match(/edit \d+/g) ?? [];
		expect(paragraphs).toEqual(Array.from({ length: 260 }, (_, i) => `edit ${i}`));
	}, 60_000);
});
