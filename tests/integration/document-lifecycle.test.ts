// A piece's live document over its life in one process, against a real database (PGlite, and Postgres
// when TEST_DATABASE_URL is set): what is done to it while it unloads is stored and the unload is tried
// again afterwards; a late release of a document already unloaded leaves its successor alone; `use`
// never hands out a document that is no longer the loaded one; a document nobody has open any more holds
// nothing once it unloaded (with TEST_REDIS_URL set, nothing in the relay either).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseKinds } from '../support/galley-server';
import { bodyText, useStoredPiece } from '../support/collab-fixture';
import { appendParagraph } from '../support/collab-client';
import { CollabServer } from '../../src/lib/server/collab/server';
import type { LiveDocument } from '../../src/lib/server/collab/documents';
import { silentLogger } from '../support/logs';
import { holdsFor } from '../support/holds';

import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentPeer } from '../../src/lib/server/collab/documents';

describe.each(databaseKinds())('a live document over its life on %s', (kind) => {
	let server: CollabServer;

	// a real piece (and its seeded template row), made the way users make one
	const stored = useStoredPiece(kind);

	afterEach(async () => {
		await server?.stop();
	});

	const unloaded = () => vi.waitFor(() => expect(server.openDocuments).toBe(0), { timeout: 10_000 });

	it('stores an edit made while the document unloads, then unloads it once that edit is stored', async () => {
		// a long commit window: the edit below is still unsaved when the unload has merged the rows
		server = new CollabServer({ db: stored.handle.db, origin: null, log: silentLogger, groupCommitWindowMs: 1_000 });
		const first = await server.use(stored.pieceId, (live) => live);
		server.release(first); // nobody else holds it: the unload starts (and goes on to merge the rows)
		// an import arriving meanwhile gets the same, still loaded document
		const again = await server.use(stored.pieceId, (live) => {
			appendParagraph(live.doc, 'written while the document unloaded');
			return live;
		});
		expect(again).toBe(first);
		server.release(again); // finds the unload under way
		await unloaded();
		expect(first.doc.isDestroyed).toBe(true);
		expect(bodyText((await server.store.load(stored.pieceId)).update)).toContain('written while the document unloaded');
	});

	it('leaves the newer document alone when a document already unloaded is released again', async () => {
		server = new CollabServer({ db: stored.handle.db, origin: null, log: silentLogger });
		const first = await server.use(stored.pieceId, (live) => live);
		server.release(first);
		await unloaded();
		const second = await server.use(stored.pieceId, (live) => live);
		expect(second).not.toBe(first);
		server.release(first); // late: first is gone
		// no unload started at all (one would go on to drop the piece's entry once it had merged the rows)
		await holdsFor(300, () => {
			expect(server.openDocuments).toBe(1);
			expect(second.doc.isDestroyed).toBe(false);
		});
		expect(await server.use(stored.pieceId, (live) => live)).toBe(second);
		server.release(second);
		await unloaded();
	});

	it('holds nothing of a document once its last client left and it unloaded', async () => {
		const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
		server = new CollabServer({ db: stored.handle.db, origin: null, log: silentLogger, redisUrl });
		// A client as a connection is one: a peer that edits (through the scratch copy) and is present.
		const client = new Y.Doc();
		const peer: DocumentPeer = { sendUpdate: () => {}, sendAwareness: () => {}, durableAdvanced: () => {} };
		const presence = new awarenessProtocol.Awareness(client);
		presence.setLocalState({ user: { name: 'Basin Watch editor' } });
		const live = await server.use(stored.pieceId, (l) => {
			l.peers.add(peer);
			return l;
		});
		Y.applyUpdate(client, Y.encodeStateAsUpdate(live.doc));
		let edit: Uint8Array | null = null;
		client.once('update', (u: Uint8Array) => (edit = u));
		appendParagraph(client, 'Basin Watch: the gauge at the weir read above the median this week.');
		live.applyClientUpdate(edit!, peer);
		awarenessProtocol.applyAwarenessUpdate(live.awareness, awarenessProtocol.encodeAwarenessUpdate(presence, [client.clientID]), peer);
		const internals = live as unknown as { scratch: { doc: Y.Doc | null; timer: unknown }; loadedBytes: unknown; loadedBytesTimer: unknown };
		expect(internals.scratch.doc).not.toBeNull(); // the edit made the scratch copy
		expect(live.awareness.getStates().size).toBe(1);
		// The client leaves, as a connection's close does: its presence removed, the peer gone, the release.
		awarenessProtocol.removeAwarenessStates(live.awareness, [client.clientID], peer);
		live.peers.delete(peer);
		server.release(live);
		await unloaded();

		const s = server as unknown as {
			documents: { documents: Map<string, unknown>; loaded: Map<string, unknown>; unloading: Map<string, unknown> };
			afterStore: { projections: { waiting: Map<string, unknown> }; compactions: { waiting: Map<string, unknown> }; projecting: Map<string, unknown> };
			commits: { dirty: Set<unknown>; timer: unknown };
			relay: { attached: Map<string, unknown> } | null;
		};
		// The registry and the after-store jobs hold nothing of it, the group commit nothing waiting…
		// (the unload ends after the document left the registry: it unsubscribes from the relay last)
		await vi.waitFor(() => expect([s.documents.documents.size, s.documents.loaded.size, s.documents.unloading.size]).toEqual([0, 0, 0]), { timeout: 10_000 });
		// (the finished projection leaves its map once its promise's callbacks have run)
		await vi.waitFor(() => expect([s.afterStore.projections.waiting.size, s.afterStore.compactions.waiting.size, s.afterStore.projecting.size]).toEqual([0, 0, 0]), { timeout: 10_000 });
		expect(s.commits.dirty.size).toBe(0);
		expect(s.commits.timer).toBeNull();
		// …the relay no subscription (when there is one)…
		if (redisUrl) expect(s.relay!.attached.size).toBe(0);
		// …and the document itself no scratch copy, no timer, no presence, no peer: it is destroyed.
		expect(internals.scratch.doc).toBeNull();
		expect(internals.scratch.timer).toBeNull();
		expect(internals.loadedBytes).toBeNull();
		expect(internals.loadedBytesTimer).toBeNull();
		expect(live.awareness.getStates().size).toBe(0);
		expect(live.peers.size).toBe(0);
		expect(live.doc.isDestroyed).toBe(true);
		// What the client wrote is stored.
		expect(bodyText((await server.store.load(stored.pieceId)).update)).toContain('the gauge at the weir read above the median');
		presence.destroy();
		client.destroy();
	});

	it('never hands out a document that was unloaded before the caller got to it', async () => {
		server = new CollabServer({ db: stored.handle.db, origin: null, log: silentLogger });
		const first = await server.use(stored.pieceId, (live) => live);
		server.release(first);
		await unloaded();
		// The load a caller awaited settled with `first`, which then unloaded before the caller resumed
		// (the race of a connection arriving as the last one leaves): `use` loads the piece afresh.
		const registry = (server as unknown as { documents: { open: (id: string) => Promise<LiveDocument> } }).documents;
		const open = registry.open.bind(registry);
		let stale = true;
		registry.open = (id) => {
			if (stale) {
				stale = false;
				return Promise.resolve(first);
			}
			return open(id);
		};
		const got = await server.use(stored.pieceId, (live) => {
			expect(live.doc.isDestroyed).toBe(false);
			appendParagraph(live.doc, 'written to the document actually loaded');
			return live;
		});
		expect(got).not.toBe(first);
		expect(stale).toBe(false);
		server.release(got);
		await unloaded();
		expect(bodyText((await server.store.load(stored.pieceId)).update)).toContain('written to the document actually loaded');
	});
});
