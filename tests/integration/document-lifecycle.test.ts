// A piece's live document over its life in one process, against a real database (PGlite, and Postgres
// when TEST_DATABASE_URL is set): what is done to it while it unloads is stored and the unload is tried
// again afterwards; a late release of a document already unloaded leaves its successor alone; `use`
// never hands out a document that is no longer the loaded one.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, type GalleyTestDatabase } from '../support/galley-server';
import { bodyText, storedPiece } from '../support/collab-fixture';
import { appendParagraph } from '../support/collab-client';
import type { DatabaseHandle } from '../../src/lib/server/db/client';
import { CollabServer } from '../../src/lib/server/collab/server';
import type { LiveDocument } from '../../src/lib/server/collab/documents';
import { silentLogger } from '../support/logs';
import { holdsFor } from '../support/holds';

describe.each(databaseKinds())('a live document over its life on %s', (kind) => {
	let database: GalleyTestDatabase;
	let handle: DatabaseHandle;
	let pieceId: string;
	let server: CollabServer;

	beforeAll(async () => {
		// a real piece, made the way users make one; then the collaboration server in this process
		({ database, handle, pieceId } = await storedPiece(kind));
	}, 120_000);

	afterEach(async () => {
		await server?.stop();
	});

	afterAll(async () => {
		await handle?.close();
		await database?.drop();
	});

	const unloaded = () => vi.waitFor(() => expect(server.openDocuments).toBe(0), { timeout: 10_000 });

	it('stores an edit made while the document unloads, then unloads it once that edit is stored', async () => {
		// a long commit window: the edit below is still unsaved when the unload has merged the rows
		server = new CollabServer({ db: handle.db, origin: null, log: silentLogger, groupCommitWindowMs: 1_000 });
		const first = await server.use(pieceId, (live) => live);
		server.release(first); // nobody else holds it: the unload starts (and goes on to merge the rows)
		// an import arriving meanwhile gets the same, still loaded document
		const again = await server.use(pieceId, (live) => {
			appendParagraph(live.doc, 'written while the document unloaded');
			return live;
		});
		expect(again).toBe(first);
		server.release(again); // finds the unload under way
		await unloaded();
		expect(first.doc.isDestroyed).toBe(true);
		expect(bodyText((await server.store.load(pieceId)).update)).toContain('written while the document unloaded');
	});

	it('leaves the newer document alone when a document already unloaded is released again', async () => {
		server = new CollabServer({ db: handle.db, origin: null, log: silentLogger });
		const first = await server.use(pieceId, (live) => live);
		server.release(first);
		await unloaded();
		const second = await server.use(pieceId, (live) => live);
		expect(second).not.toBe(first);
		server.release(first); // late: first is gone
		// no unload started at all (one would go on to drop the piece's entry once it had merged the rows)
		await holdsFor(300, () => {
			expect(server.openDocuments).toBe(1);
			expect(second.doc.isDestroyed).toBe(false);
		});
		expect(await server.use(pieceId, (live) => live)).toBe(second);
		server.release(second);
		await unloaded();
	});

	it('never hands out a document that was unloaded before the caller got to it', async () => {
		server = new CollabServer({ db: handle.db, origin: null, log: silentLogger });
		const first = await server.use(pieceId, (live) => live);
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
		const got = await server.use(pieceId, (live) => {
			expect(live.doc.isDestroyed).toBe(false);
			appendParagraph(live.doc, 'written to the document actually loaded');
			return live;
		});
		expect(got).not.toBe(first);
		expect(stale).toBe(false);
		server.release(got);
		await unloaded();
		expect(bodyText((await server.store.load(pieceId)).update)).toContain('written to the document actually loaded');
	});
});
