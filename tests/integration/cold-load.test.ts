// A cold load of a large piece (Postgres: its rows can be watched while the server runs): once the unload
// merged the rows into a state that needs no load repair, a new client that has nothing is sent that state
// as it is stored, before the server has decoded it, and nothing is lost or counted wrong for it: the
// content is whole, the client's own step 1 is still answered (with nothing more), and the durable ack
// still counts every frame the client sent. The marking of such states is tested on both databases.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import postgres from 'postgres';
import { WebSocket } from 'ws';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { bodyText, editorWithPiece, useStoredPiece } from '../support/collab-fixture';
import { DocumentStore } from '../../src/lib/server/collab/persistence';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

/** Paragraphs of the Basin Watch bulletin's kind, about 100 kB in all. */
function writeBulletin(doc: Y.Doc, paragraphs: number): void {
	doc.transact(() => {
		for (let i = 0; i < paragraphs; i++) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`[${i}] Basin Watch: the river gauge at the dam read above the weekly median. `.repeat(6))]);
			doc.getXmlFragment(BODY_FRAGMENT).push([p]);
		}
	});
}

describe.each(databaseKinds())('stored states marked clean on %s', (kind) => {
	// a real piece (and its seeded template row), made the way users make one
	const stored = useStoredPiece(kind);
	let store: DocumentStore;
	beforeAll(() => {
		store = new DocumentStore(stored.handle.db);
	});

	it('marks a compacted state clean only when it needs no load repair and no rows wait beside it', async () => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, (await store.load(stored.pieceId)).update!);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		writeBulletin(doc, 20);
		await store.append(updates.splice(0).map((update) => ({ pieceId: stored.pieceId, update })));
		expect((await store.load(stored.pieceId)).clean).toBe(false); // rows beside the state
		await store.compact(stored.pieceId);
		expect((await store.load(stored.pieceId)).clean).toBe(true);

		// a heading without an id (a repair on load gives it one): the merged state is not clean
		const heading = new Y.XmlElement('heading');
		heading.setAttribute('level', '2');
		heading.insert(0, [new Y.XmlText('Basin Watch outlook')]);
		doc.getXmlFragment(BODY_FRAGMENT).push([heading]);
		await store.append(updates.splice(0).map((update) => ({ pieceId: stored.pieceId, update })));
		await store.compact(stored.pieceId);
		const loaded = await store.load(stored.pieceId);
		expect(loaded.clean).toBe(false);
		expect(bodyText(loaded.update)).toContain('Basin Watch outlook');
		doc.destroy();
	});
});

/** Sync step 2 payloads and durable-ack settled counts received on a raw socket, in order. */
function watch(ws: WebSocket) {
	const frames: ({ type: 'step2'; update: Uint8Array } | { type: 'ack'; settled: number } | { type: 'other' })[] = [];
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data));
		const type = decoding.readVarUint(decoder);
		if (type === 0 && decoding.readVarUint(decoder) === 1) frames.push({ type: 'step2', update: decoding.readVarUint8Array(decoder) });
		else if (type === 8) {
			decoding.readVarUint8Array(decoder);
			frames.push({ type: 'ack', settled: decoding.readVarUint(decoder) });
		} else frames.push({ type: 'other' });
	});
	return frames;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('a cold load of a large piece (Postgres)', () => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley | undefined;
	let writer: CollabClient | undefined;
	let sql: postgres.Sql | undefined;
	const sockets: WebSocket[] = [];
	/** The piece and the editor's token, for the second test (which reopens the piece the first one stored). */
	let piece: { token: string; pieceId: string } | undefined;

	afterAll(async () => {
		writer?.destroy();
		for (const ws of sockets) ws.terminate();
		await galley?.stop();
		await sql?.end();
		await database?.drop();
	});

	/** Until every row of the piece is merged into a clean stored state (the unload after its last client goes). */
	const mergedClean = (pieceId: string) =>
		vi.waitFor(
			async () => {
				const [row] = await sql!`select (select count(*) from document_updates where piece_id = ${pieceId})::int as rows, (select clean_as_of from document_states where piece_id = ${pieceId}) as clean`;
				expect(row).toEqual({ rows: 0, clean: 1 });
			},
			{ timeout: 20_000, interval: 50 }
		);

	/**
	 * A raw socket at `address` answered with the stored state ahead: its first frame a sync step 2, then the
	 * answer to its step 1. A socket that arrives before the document has unloaded finds it loaded and is answered
	 * as usual: it is closed (so the document unloads again) and another one tried.
	 */
	async function answeredAhead(address: string, token: string, onOpen?: (ws: WebSocket) => void) {
		let frames: ReturnType<typeof watch> = [];
		let ws!: WebSocket;
		await vi.waitFor(
			async () => {
				ws = new WebSocket(address, { headers: { authorization: `Bearer ${token}` } });
				sockets.push(ws);
				frames = watch(ws);
				if (onOpen) ws.on('open', () => onOpen(ws));
				try {
					await vi.waitFor(() => expect(frames.filter((f) => f.type === 'step2').length).toBe(2), { timeout: 10_000 });
					expect(frames[0].type).toBe('step2');
				} catch (err) {
					ws.terminate();
					throw err;
				}
			},
			{ timeout: 30_000, interval: 500 }
		);
		const [ahead, answer] = frames.filter((f) => f.type === 'step2') as { update: Uint8Array }[];
		return { ws, frames, ahead, answer };
	}

	/** A sync update frame (message 0, type 2) carrying `update`. */
	function sendUpdate(ws: WebSocket, update: Uint8Array) {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint8Array(encoder, update);
		ws.send(encoding.toUint8Array(encoder));
	}

	it('sends a new client the clean stored state first, then answers its step 1 with nothing more and counts its frames', async () => {
		database = await freshTestDatabase('postgres');
		galley = await startGalley(serverEnv(database));
		sql = postgres(database.env.DATABASE_URL, { onnotice: () => {} });
		const { token, pieceId } = (piece = await editorWithPiece(galley.url));
		writer = connectCollab(galley.wsUrl, pieceId, { token }, { presence: false });
		await writer.synced;
		writeBulletin(writer.doc, 250);
		await vi.waitFor(() => expect(writer!.ownEditsAcked()).toBe(true), { timeout: 20_000 });
		const expected = writer.doc.getXmlFragment(BODY_FRAGMENT).toString();
		writer.destroy();
		writer = undefined;
		// the unload merged the rows into a clean state
		await mergedClean(pieceId);

		// A new client with nothing: the first frame it gets is the stored state (once the document has
		// unloaded, which follows the merge: a client arriving earlier finds it loaded and is answered as usual).
		const step1 = new Uint8Array([0, 0, 1, 0]);
		const { ws, frames, ahead, answer } = await answeredAhead(`${galley!.wsUrl}/${pieceId}`, token, (socket) => socket.send(step1));
		const client = new Y.Doc();
		Y.applyUpdate(client, ahead.update);
		expect(client.getXmlFragment(BODY_FRAGMENT).toString()).toBe(expected);
		expect([...answer.update]).toEqual([0, 0]); // the load repaired nothing: nothing more to send

		// an edit: the ack settles both frames (the step 1 answered ahead was counted)
		const before = Y.encodeStateVector(client);
		client.getXmlFragment(BODY_FRAGMENT).push([new Y.XmlElement('paragraph')]);
		sendUpdate(ws, Y.encodeStateAsUpdate(client, before));
		await vi.waitFor(() => expect(frames.some((f) => f.type === 'ack' && f.settled === 2)).toBe(true), { timeout: 10_000 });
		client.destroy();
	}, 90_000);

	it('sends a client whose address says it holds no copy the clean stored state first, unasked, and counts only the frames it sent', async () => {
		const { token, pieceId } = piece!;
		for (const ws of sockets) ws.close();
		let expected = '';
		{
			const reader = connectCollab(galley!.wsUrl, pieceId, { token }, { presence: false });
			await reader.synced;
			expected = reader.doc.getXmlFragment(BODY_FRAGMENT).toString();
			reader.destroy();
		}
		// every client gone: the unload merges the first test's edit into a clean state again
		await mergedClean(pieceId);
		// it sends no step 1
		const { ws, frames, ahead, answer } = await answeredAhead(`${galley!.wsUrl}/${pieceId}?copy=none`, token);
		const client = new Y.Doc();
		Y.applyUpdate(client, ahead.update);
		expect(client.getXmlFragment(BODY_FRAGMENT).toString()).toBe(expected);
		expect([...answer.update]).toEqual([0, 0]);

		// its first frame, an edit, is frame 1: the step 1 the address stood for was never sent, nor counted
		const before = Y.encodeStateVector(client);
		client.getXmlFragment(BODY_FRAGMENT).push([new Y.XmlElement('paragraph')]);
		sendUpdate(ws, Y.encodeStateAsUpdate(client, before));
		await vi.waitFor(() => expect(frames.some((f) => f.type === 'ack' && f.settled === 1)).toBe(true), { timeout: 10_000 });
		expect(frames.some((f) => f.type === 'ack' && f.settled > 1)).toBe(false);
		client.destroy();
	}, 90_000);
});
