// Two Galley processes on one Postgres database, relaying through Redis (REDIS_URL): client A on process 1
// and client B on process 2 co-edit a piece. Each sees the other's edits and presence (stamped with the
// real account); each update is stored exactly once (no Yjs struct in two document_updates rows); and the
// durable ack reaches B for B's own edits (and, relayed, for A's).
import { expect, it, vi } from 'vitest';
import postgres from 'postgres';
import * as Y from 'yjs';
import { CLOSE } from '../../src/lib/domain/collab';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { contentText, lostAndDuplicated, markerCounts, sleep } from '../support/collab-fixture';
import { describeTwoProcesses } from '../support/two-processes';
import { holdsFor } from '../support/holds';

const EDITS_EACH = 60; // 120 edits: well under the 200 rows after which update rows are compacted away
const CONTRIBUTOR = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };

describeTwoProcesses('two processes relaying through Redis', (galleys) => {
	const { processes, clients } = galleys;

	it('co-edits across processes, stores each update once, and acks B’s edits to B', async () => {
		const [one, two] = await galleys.start();

		// Carl (contributor) on process 1, the editor on process 2; Carl's piece, which both may edit.
		const editor = await setUpEditor(one.url);
		const editorToken = (await tokenClient(editor, 'scale-out')).token!;
		const editorId = (await editor.get('/api/me')).json.user.id;
		const created = await editor.post('/api/people', CONTRIBUTOR);
		expect(created.status).toBe(201);
		const carlId = created.json.user.id;
		const carl = new TestClient(two.url); // any process serves the API
		expect((await carl.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		const carlApi = await tokenClient(carl, 'scale-out');
		const pieceId = (await carlApi.post('/api/pieces', { kind: 'brief', title: 'Across processes' })).json.piece.id;
		expect(pieceId).toBeTruthy();

		const a = connectCollab(one.wsUrl, pieceId, { token: carlApi.token! }, { presence: true });
		const b = connectCollab(two.wsUrl, pieceId, { token: editorToken }, { presence: true });
		clients.push(a, b);
		await Promise.all([a.synced, b.synced]);
		expect(b.paragraphs()).toEqual(a.paragraphs()); // the same seeded template on both processes

		// Presence across processes, stamped with the real accounts whatever the clients claim.
		a.provider.awareness.setLocalStateField('user', { id: editorId, name: 'Not Carl', color: '#ff0000' });
		b.provider.awareness.setLocalStateField('user', { name: 'Not the editor' });
		a.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 3 });
		await vi.waitFor(() => {
			const aSeenByB = b.provider.awareness.getStates().get(a.doc.clientID);
			expect(aSeenByB?.cursor).toEqual({ anchor: 3, head: 3 });
			expect(aSeenByB?.user).toMatchObject({ id: carlId, name: CONTRIBUTOR.name });
			expect(a.provider.awareness.getStates().get(b.doc.clientID)?.user).toMatchObject({ id: editorId, name: 'Eda Editor' });
		}, { timeout: 10_000 });

		// Co-editing: interleaved, each sees the other's edits.
		for (let i = 0; i < EDITS_EACH; i++) {
			a.appendParagraph(`[a${i}]`);
			b.appendParagraph(`[b${i}]`);
			await sleep(15);
		}
		await vi.waitFor(() => {
			expect(b.paragraphs()).toContain(`[a${EDITS_EACH - 1}]`);
			expect(a.paragraphs()).toContain(`[b${EDITS_EACH - 1}]`);
		}, { timeout: 10_000 });
		expect(a.paragraphs()).toEqual(b.paragraphs());
		expect([...a.closes, ...b.closes]).toEqual([]);

		const clockOf = (c: CollabClient) => Y.getState(c.doc.store, c.doc.clientID);
		// Durable acks: each client's own edits, from its own process (which stored them). Process 1 also
		// relays its acks to process 2, so that process 2 never stores A's relayed updates as orphans: proved
		// below by each struct being in exactly one row.
		await vi.waitFor(() => {
			expect(b.ownEditsAcked()).toBe(true);
			expect(a.ownEditsAcked()).toBe(true);
		}, { timeout: 10_000 });
		// Each struct in exactly one row, and still so past the 5 s after which a relayed update nobody
		// acknowledged would be stored by the other process too (checked throughout, failing at the first twin).
		const sql = postgres(galleys.database.env.DATABASE_URL, { max: 1, onnotice: () => {} });
		let rows: { id: number; update: Uint8Array }[] = [];
		const storedOnce = async () => {
			rows = await sql<{ id: number; update: Uint8Array }[]>`select id, "update" from document_updates where piece_id = ${pieceId} order by id`;
			const states = await sql`select 1 from document_states where piece_id = ${pieceId}`;
			expect(states.length).toBe(0); // no compaction yet: every stored update is still its own row
			expect(structsInTwoRows(rows).slice(0, 10)).toEqual([]);
		};
		try {
			await holdsFor(6_000, storedOnce, { interval: 500 });
		} finally {
			await sql.end();
		}
		expect(rows.length).toBeGreaterThan(2);
		expect(rows.length).toBeLessThan(200);
		// … and nothing missing: the rows hold every struct of both clients.
		const stored = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(rows.map((r) => r.update))));
		expect(stored.get(a.doc.clientID)).toBe(clockOf(a));
		expect(stored.get(b.doc.clientID)).toBe(clockOf(b));
		console.log(`scale-out: ${EDITS_EACH * 2} edits stored in ${rows.length} rows, no struct twice`);

		// And the content, read from the database by a process where the piece is not open.
		for (const c of clients) c.destroy();
		clients.length = 0;
		await vi.waitFor(async () => {
			const text = await contentText(one.url, editorToken, pieceId);
			for (const tag of ['a', 'b']) {
				const { lost, duplicated } = lostAndDuplicated(markerCounts(text, tag), Array.from({ length: EDITS_EACH }, (_, i) => i));
				expect({ tag, lost, duplicated }).toEqual({ tag, lost: [], duplicated: [] });
			}
		}, { timeout: 10_000 });
		for (const p of processes) expect(p.process.exitCode).toBeNull();
	}, 120_000);

	it('closes a connection on the other process when its token is revoked on this one', async () => {
		const [one, two] = processes;
		expect(two).toBeDefined();
		const editor = new TestClient(one.url);
		expect((await editor.post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
		const created = await editor.post('/api/tokens', { name: 'revoked across processes' });
		const pieceId = await firstPiece(editor);
		const client = connectCollab(two.wsUrl, pieceId, { token: created.json.token });
		clients.push(client);
		await client.synced;
		expect((await editor.request('DELETE', `/api/tokens/${created.json.id}`)).status).toBe(200);
		await vi.waitFor(() => expect(client.closes[0]?.code).toBe(CLOSE.FORBIDDEN), { timeout: 10_000 });
	}, 60_000);

	it('gives someone joining on this process a caret colour other than that of a person present on the other process', async () => {
		const [one, two] = processes;
		expect(two).toBeDefined();
		const editor = new TestClient(one.url);
		expect((await editor.post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
		const editorToken = (await tokenClient(editor, 'colours')).token!;
		const editorColour: string = (await editor.get('/api/me')).json.user.color;
		// Colours come from a hash of the account id: accounts are made until one has the editor's colour (the
		// twin) and one has another (the watcher). Each has a one-in-eight chance of the editor's colour.
		let twin: string | null = null;
		let watcher: string | null = null;
		for (let i = 0; i < 100 && !(twin && watcher); i++) {
			const person = { email: `colour${i}@example.org`, name: `Colour ${i}`, password: 'colour test passphrase', role: 'editor' };
			const res = await editor.post('/api/people', person);
			expect(res.status, res.text).toBe(201);
			const same = res.json.user.color === editorColour;
			if ((same && twin) || (!same && watcher)) continue;
			const signedIn = new TestClient(two.url);
			expect((await signedIn.post('/api/auth/login', person)).status).toBe(200);
			const token = (await tokenClient(signedIn, 'colours')).token!;
			if (same) twin = token;
			else watcher = token;
		}
		expect(twin && watcher, 'an account with the editor’s colour and one with another').toBeTruthy();

		// The editor is present on process 1; the watcher on process 2 loads the piece there and sees the
		// editor's presence, relayed. Then the twin joins on process 2.
		const pieceId = await firstPiece(editor);
		const onOne = connectCollab(one.wsUrl, pieceId, { token: editorToken }, { presence: true });
		clients.push(onOne);
		await onOne.synced;
		// as the browser does: its user field (the server stamps the real identity and colour over it)
		onOne.provider.awareness.setLocalStateField('user', { name: 'me' });
		const watching = connectCollab(two.wsUrl, pieceId, { token: watcher! }, { presence: true });
		clients.push(watching);
		await watching.synced;
		watching.provider.awareness.setLocalStateField('user', { name: 'me' });
		await vi.waitFor(() => expect(watching.provider.awareness.getStates().get(onOne.doc.clientID)?.user?.color).toBe(editorColour), { timeout: 10_000 });
		const joining = connectCollab(two.wsUrl, pieceId, { token: twin! }, { presence: true });
		clients.push(joining);
		await joining.synced;
		joining.provider.awareness.setLocalStateField('user', { name: 'me' });
		await vi.waitFor(() => expect(joining.notices.find((n) => n.type === 'presence')).toBeDefined(), { timeout: 10_000 });
		const given = joining.notices.find((n) => n.type === 'presence') as { color: string };
		expect(given.color).not.toBe(editorColour);
		// … and the editor, on the other process, sees the twin in that colour.
		await vi.waitFor(() => expect(onOne.provider.awareness.getStates().get(joining.doc.clientID)?.user?.color).toBe(given.color), { timeout: 10_000 });
	}, 60_000);
});

async function firstPiece(api: TestClient): Promise<string> {
	const res = await api.get('/api/pieces');
	expect(res.status).toBe(200);
	return res.json.pieces[0].id;
}

/** Every struct (client:clock) found in more than one of `rows`, with the two rows. */
function structsInTwoRows(rows: { id: number; update: Uint8Array }[]): string[] {
	const owner = new Map<string, number>(); // "client:clock" → row id
	const duplicates: string[] = [];
	for (const row of rows) {
		for (const struct of Y.decodeUpdate(row.update).structs) {
			if (struct instanceof Y.Skip) continue;
			for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) {
				const key = `${struct.id.client}:${clock}`;
				if (owner.has(key)) duplicates.push(`${key} in rows ${owner.get(key)} and ${row.id}`);
				else owner.set(key, row.id);
			}
		}
	}
	return duplicates;
}
