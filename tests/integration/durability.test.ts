// The durable ack (message 8) means "in the database": kill -9 the server at random moments while one stock
// client makes 500 small edits, restart it on the same database, and check that
//  - right after each restart, BEFORE the client reconnects, the stored content holds every edit that a
//    durable ack covered before the kill (0 acknowledged edits lost), and
//  - once the client has reconnected and everything is acknowledged, all 500 edits are stored exactly once.
// On PGlite (whose transactions may resolve before the filesystem sync, see stack notes) and on Postgres.
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { contentText, editorWithPiece, lostAndDuplicated, markerCounts, markerParagraph, sleep, stockProvider } from '../support/collab-fixture';
import fc from 'fast-check';

const EDITS = 500;
const EDIT_INTERVAL_MS = 12;
const KILLS = 3;
/** Edits made while the server is down, per outage. */
const OFFLINE_EDITS = 10;

describe.each(databaseKinds())('durability under kill -9 on %s', (kind) => {
	let database: GalleyTestDatabase | undefined;
	let galley: RunningGalley | undefined;

	afterAll(async () => {
		await galley?.kill();
		await database?.drop();
	});

	it(`loses no acknowledged edit across ${KILLS} SIGKILLs during ${EDITS} edits, and stores all of them exactly once`, async () => {
		const seed = Number(process.env.GALLEY_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
		console.log(`durability on ${kind}: seed ${seed} (GALLEY_TEST_SEED=${seed} replays the kill moments)`);
		// per kill: its moment (an edit index, spread over the run, at least 60 edits apart) and how long after an
		// edit it comes (not always right after one), drawn by fast-check from the seed
		const kills = fc.sample(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: EDIT_INTERVAL_MS - 1 })), { numRuns: KILLS, seed });
		const killAt = kills.map(([offset], k) => 40 + k * 140 + offset);

		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const { token, pieceId } = await editorWithPiece(galley.url);

		const doc = new Y.Doc();
		let acked = 0; // highest clock of this client covered by any durable ack received
		const onAck = (sv: Map<number, number>) => (acked = Math.max(acked, sv.get(doc.clientID) ?? 0));
		let provider: WebsocketProvider = stockProvider(galley.wsUrl, pieceId, doc, token, onAck);
		await vi.waitFor(() => expect(provider.synced).toBe(true), { timeout: 20_000 });
		const text = markerParagraph(doc);

		/** clockAfter[i]: this client's clock once edit i was made; edit i is durable once an ack covers it. */
		const clockAfter: number[] = [];
		let made = 0;
		// While the server is down the client keeps editing (offline edits, sent on reconnection), but only
		// a few, so the 500 edits span all the kills whatever a restart costs on a busy machine.
		let offline = false;
		let offlineEdits = 0;
		const editing = (async () => {
			for (let i = 0; i < EDITS; i++) {
				if (offline && offlineEdits >= OFFLINE_EDITS) await vi.waitFor(() => expect(offline).toBe(false), { timeout: 120_000, interval: 5 });
				if (offline) offlineEdits++;
				text.insert(text.length, `[e${i}]`);
				clockAfter[i] = Y.getState(doc.store, doc.clientID);
				made = i + 1;
				await sleep(EDIT_INTERVAL_MS);
			}
		})();

		const report: { killAt: number; made: number; acked: number; ackedEdits: number; restartMs: number }[] = [];
		try {
			for (const [k, at] of killAt.entries()) {
				await vi.waitFor(() => expect(made).toBeGreaterThanOrEqual(at), { timeout: 60_000, interval: 2 });
				// the server now running has acknowledged some of this client's edits (after the first kill,
				// also some made since the last restart)
				const before = report.at(-1)?.acked ?? 0;
				await vi.waitFor(() => expect(acked).toBeGreaterThan(before), { timeout: 30_000, interval: 2 });
				await sleep(kills[k][1]); // not always right after an edit
				offline = true;
				offlineEdits = 0;
				await galley.kill();
				// Acks already on their way were sent by the server before it died: count them too.
				await vi.waitFor(() => expect(provider.wsconnected).toBe(false), { timeout: 5_000, interval: 5 });
				provider.destroy();
				const ackedEdits = clockAfter.filter((clock) => clock <= acked).length;
				const restartStarted = Date.now();
				galley = await startGalley(serverEnv(database));
				report.push({ killAt: at, made, acked, ackedEdits, restartMs: Date.now() - restartStarted });
				// Nobody is connected: the content API reads the database.
				const stored = markerCounts(await contentText(galley.url, token, pieceId), 'e');
				const { lost, duplicated } = lostAndDuplicated(stored, Array.from({ length: ackedEdits }, (_, i) => i));
				expect({ kill: report.length, lost, duplicated }).toEqual({ kill: report.length, lost: [], duplicated: [] });
				// Edits acknowledged are a prefix: the client sends its edits in order.
				expect(ackedEdits).toBeGreaterThan(0);

				provider = stockProvider(galley.wsUrl, pieceId, doc, token, onAck);
				offline = false;
			}
			await editing;
			await vi.waitFor(() => expect(acked).toBe(Y.getState(doc.store, doc.clientID)), { timeout: 30_000 });
		} finally {
			console.log(`durability on ${kind}:`, JSON.stringify(report));
			provider.destroy();
		}

		// Everything acknowledged: kill once more, and read what the database holds.
		await galley.kill();
		galley = await startGalley(serverEnv(database));
		const stored = markerCounts(await contentText(galley.url, token, pieceId), 'e');
		const { lost, duplicated } = lostAndDuplicated(stored, Array.from({ length: EDITS }, (_, i) => i));
		expect({ lost, duplicated }).toEqual({ lost: [], duplicated: [] });
		expect(stored.size).toBe(EDITS);
		// and in order: the markers read e0 e1 … e499
		const order = [...(await contentText(galley.url, token, pieceId)).matchAll(/\[e(\d+)\]/g)].map((m) => Number(m[1]));
		expect(order).toEqual(Array.from({ length: EDITS }, (_, i) => i));
		doc.destroy();
	}, 240_000);
});
