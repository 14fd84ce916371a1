// Postgres goes away while five people type: a TCP proxy in this process sits between Galley and Postgres,
// and is cut (every socket destroyed, new ones refused) for 30 s. The server must stay up, must not
// acknowledge as durable anything typed (or deleted) during the outage (the editor keeps showing
// "Saving…"), and once the proxy is back its group commit (retried with backoff, capped at 5 s) stores
// every edit of all five clients.
import net from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { contentText, editorWithPiece, lostAndDuplicated, markerCounts, sleep } from '../support/collab-fixture';

const OUTAGE_MS = 30_000;
const CLIENTS = 5;
const TYPE_INTERVAL_MS = 60;

/** A TCP proxy that can be cut (all connections destroyed, new ones refused at once) and restored. */
async function tcpProxy(target: { host: string; port: number }) {
	const sockets = new Set<net.Socket>();
	let cut = false;
	let accepted = 0;
	let refused = 0;
	const server = net.createServer((client) => {
		if (cut) {
			refused++;
			client.destroy();
			return;
		}
		accepted++;
		const upstream = net.connect(target.port, target.host);
		sockets.add(client);
		sockets.add(upstream);
		const close = () => {
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		for (const s of [client, upstream]) {
			s.on('error', close);
			s.on('close', close);
		}
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as net.AddressInfo).port,
		stats: () => ({ accepted, refused, open: sockets.size }),
		cut() {
			cut = true;
			for (const s of sockets) s.destroy();
			sockets.clear();
		},
		restore() {
			cut = false;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			})
	};
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('a Postgres outage while five clients type', () => {
	// (skipped without TEST_DATABASE_URL: the test needs a real Postgres server to put a proxy in front of;
	//  PGlite is in-process and cannot become unreachable)
	let database: GalleyTestDatabase | undefined;
	let galley: RunningGalley | undefined;
	let proxy: Awaited<ReturnType<typeof tcpProxy>> | undefined;
	const clients: CollabClient[] = [];

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await galley?.kill();
		await proxy?.close();
		await database?.drop();
	});

	it(`stays up, acknowledges nothing typed during a ${OUTAGE_MS / 1000} s outage, then stores every edit`, async () => {
		database = await freshTestDatabase('postgres'); // created (and later dropped) through the real URL
		const real = new URL(database.env.DATABASE_URL);
		proxy = await tcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
		const viaProxy = new URL(real);
		viaProxy.hostname = '127.0.0.1';
		viaProxy.port = String(proxy.port);
		galley = await startGalley({ ...serverEnv(database), DATABASE_URL: viaProxy.toString() });
		const { token, pieceId } = await editorWithPiece(galley.url);

		for (let k = 0; k < CLIENTS; k++) clients.push(connectCollab(galley.wsUrl, pieceId, { token }, { presence: false }));
		await Promise.all(clients.map((c) => c.synced));

		const typed = clients.map(() => 0);
		let typing = true;
		const typists = clients.map(async (client, k) => {
			await sleep(k * 7);
			while (typing) {
				client.appendParagraph(`[k${k}n${typed[k]}]`);
				typed[k]++;
				await sleep(TYPE_INTERVAL_MS);
			}
		});
		const highestAck = (c: CollabClient) => Math.max(0, ...c.acks.map((sv) => sv.get(c.doc.clientID) ?? 0));
		const ownClock = (c: CollabClient) => Y.getState(c.doc.store, c.doc.clientID);
		let deletingFrame = Infinity;

		try {
			// Before: edits are acknowledged as they come.
			await vi.waitFor(() => expect(clients.every((c) => highestAck(c) > 0)).toBe(true), { timeout: 15_000 });
			const body = clients[0].doc.getXmlFragment(BODY_FRAGMENT);
			const doomed = () => body.toArray().findIndex((n) => n instanceof Y.XmlElement && n.toString().includes('[doomed]'));
			clients[0].appendParagraph('[doomed]');
			await vi.waitFor(() => expect(clients[0].ownEditsAcked()).toBe(true), { timeout: 10_000 });

			// The outage.
			proxy.cut();
			// A pure deletion during the outage: no ack may say it is settled until it is stored.
			await sleep(100);
			body.delete(doomed(), 1);
			deletingFrame = clients[0].framesSent();
			const clockAtCut = clients.map(ownClock);
			const typedAtCut = [...typed];
			const outageEnds = Date.now() + OUTAGE_MS;
			while (Date.now() < outageEnds) {
				await sleep(250);
				expect(galley.process.exitCode).toBeNull();
				expect(galley.process.signalCode).toBeNull();
				// No ack covers an edit made after the cut (an ack for a commit that finished just before the
				// cut may still arrive: it covers at most the clock at the cut).
				clients.forEach((c, k) => expect(highestAck(c), `client ${k}`).toBeLessThanOrEqual(clockAtCut[k]));
				expect(clients[0].settledFrames()).toBeLessThan(deletingFrame);
			}
			// everyone kept typing, and every client has unacknowledged edits: the UI shows "Saving…"
			clients.forEach((c, k) => {
				expect(typed[k]).toBeGreaterThan(typedAtCut[k] + 10);
				expect(c.ownEditsAcked()).toBe(false);
				expect(c.closes).toEqual([]);
			});
			expect(galley.output()).toContain('storing updates failed; will retry');

			// Back: the group commit's retry gets through; type a little more, then stop.
			proxy.restore();
			await sleep(500);
		} finally {
			typing = false;
			await Promise.all(typists);
		}
		await vi.waitFor(() => expect(clients.map((c) => c.ownEditsAcked())).toEqual(clients.map(() => true)), { timeout: 30_000, interval: 100 });
		await vi.waitFor(() => expect(clients[0].settledFrames()).toBeGreaterThanOrEqual(deletingFrame), { timeout: 10_000 });
		expect(galley.process.exitCode).toBeNull();
		const outputAfter = galley.output();

		// What is in the database (a SIGKILL leaves nothing but what was stored), read directly this time.
		for (const c of clients) c.destroy();
		clients.length = 0;
		await galley.kill();
		galley = await startGalley(serverEnv(database));
		const text = await contentText(galley.url, token, pieceId);
		expect(text).not.toContain('[doomed]');
		for (let k = 0; k < CLIENTS; k++) {
			const { lost, duplicated } = lostAndDuplicated(markerCounts(text, `k${k}n`), Array.from({ length: typed[k] }, (_, i) => i));
			expect({ client: k, lost, duplicated }).toEqual({ client: k, lost: [], duplicated: [] });
		}
		console.log(`outage: typed ${JSON.stringify(typed)}, proxy ${JSON.stringify(proxy.stats())}`);
		expect(outputAfter).not.toMatch(/uncaught|unhandled/i);
	}, 120_000);
});
