// Endnotes against a real Galley process (editor schema 4: the note's text is the endnote element's
// XmlText). A piece stored with schema-3 endnotes (the text as the `note` attribute) is read in the old
// form before anyone opens it, converted by the server when it loads it, and then two clients typing in
// one note both keep their words.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import * as Y from 'yjs';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { legacyEndnoteState } from '../support/legacy-endnotes';

const START_TIMEOUT = 120_000;

function legacyState(): Uint8Array {
	return legacyEndnoteState(['Fighters lacked weapons.', { id: 'n-old1', note: 'Reported by Varesh Daily.' }, ' The council claimed the weirs.', { id: 'n-old2', note: 'Radio Kessland.' }]);
}

/** Replace a piece's stored Yjs state (the server must not hold it: stopped, or the piece never opened on Postgres). */
async function storeState(database: GalleyTestDatabase, pieceId: string, state: Uint8Array): Promise<void> {
	if (database.kind === 'postgres') {
		const sql = postgres(database.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		try {
			await sql`delete from document_states where piece_id = ${pieceId}`;
			await sql`delete from document_updates where piece_id = ${pieceId}`;
			await sql`insert into document_updates (piece_id, "update") values (${pieceId}, ${Buffer.from(state)})`;
		} finally {
			await sql.end();
		}
		return;
	}
	const pg = await PGlite.create(path.join(database.env.GALLEY_DATA_DIR, 'pgdata'));
	try {
		await pg.query('delete from document_states where piece_id = $1', [pieceId]);
		await pg.query('delete from document_updates where piece_id = $1', [pieceId]);
		await pg.query('insert into document_updates (piece_id, "update") values ($1, $2)', [pieceId, state]);
	} finally {
		await pg.close();
	}
}

const endnoteElements = (client: CollabClient): Y.XmlElement[] =>
	(client.doc.getXmlFragment(BODY_FRAGMENT).get(0) as Y.XmlElement).toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'endnote');

describe.each(oneDatabaseKind())('endnotes on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let api: TestClient;
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		api = await tokenClient(await setUpEditor(galley.url), 'endnote tests');
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await galley?.stop();
		await database?.drop();
	});

	const content = async (pieceId: string, format: 'json' | 'markdown') => {
		const res = await api.get(`/api/pieces/${pieceId}/content?format=${format}`);
		expect(res.status).toBe(200);
		return format === 'json' ? res.json : res.text;
	};

	it(
		'converts a piece stored with schema-3 endnotes when it loads; connected clients see the text, and two of them typing in one note both keep their words',
		async () => {
			const pieceId = (await api.post('/api/pieces', { kind: 'article', title: 'Legacy endnotes' })).json.piece.id as string;
			// The stored state is replaced while no server holds the piece: stop it, write, start it again.
			expect(await galley.stop()).toBe(0);
			await storeState(database, pieceId, legacyState());
			galley = await startGalley(serverEnv(database));
			api = Object.assign(new TestClient(galley.url), { token: api.token });

			// Read before anyone opens it: the JSON and the print form understand the old form.
			const before = (await content(pieceId, 'json')) as { content: { content: { type: string; attrs?: Record<string, unknown>; content?: unknown[] }[] }[] };
			expect(before.content[0].content.filter((n) => n.type === 'endnote')).toEqual([
				{ type: 'endnote', attrs: { id: 'n-old1' }, content: [{ type: 'text', text: 'Reported by Varesh Daily.' }] },
				{ type: 'endnote', attrs: { id: 'n-old2' }, content: [{ type: 'text', text: 'Radio Kessland.' }] }
			]);
			expect(await content(pieceId, 'markdown')).toBe(
				'Fighters lacked weapons.[1] The council claimed the weirs.[2]\n\n## Notes\n\n[1] Reported by Varesh Daily.\n\n[2] Radio Kessland.\n'
			);

			const a = connectCollab(galley.wsUrl, pieceId, { token: api.token! });
			const b = connectCollab(galley.wsUrl, pieceId, { token: api.token! });
			clients.push(a, b);
			await Promise.all([a.synced, b.synced]);
			for (const client of [a, b]) {
				const notes = endnoteElements(client);
				expect(notes.map((n) => n.getAttribute('note'))).toEqual([undefined, undefined]);
				expect(notes.map((n) => n.toArray().map((t) => (t as Y.XmlText).toString()))).toEqual([['Reported by Varesh Daily.'], ['Radio Kessland.']]);
			}

			// Both type in note 1 at once, as y-prosemirror writes typing: inserts into its XmlText.
			const noteText = (client: CollabClient) => endnoteElements(client)[0].get(0) as Y.XmlText;
			noteText(a).insert(0, 'Kessler: ');
			noteText(b).insert('Reported by Varesh Daily'.length, ', March 12');
			const merged = 'Kessler: Reported by Varesh Daily, March 12.';
			await vi.waitFor(() => {
				for (const client of [a, b]) expect(noteText(client).toString()).toBe(merged);
			}, { timeout: 10_000 });
			await vi.waitFor(() => expect(a.ownEditsAcked() && b.ownEditsAcked()).toBe(true), { timeout: 10_000 });
			expect(await content(pieceId, 'markdown')).toContain(`## Notes\n\n[1] ${merged}\n\n[2] Radio Kessland.\n`);
		},
		START_TIMEOUT * 2
	);
});
