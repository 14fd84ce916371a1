// The collaboration websocket against a real Galley process, driven by the stock y-websocket client (what
// the browser runs) and by raw sockets for what that client never sends. One server per database kind;
// the last tests crash and stop it and start it again on the same database.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, rawSocket, stopAwarenessEcho, type CollabClient } from '../support/collab-client';
import { CLOSE } from '../../src/lib/domain/collab';
import { EDITOR_SCHEMA_VERSION } from '../../src/lib/editor/version';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import fc from 'fast-check';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;
const RESTART_TIMEOUT = 150_000;

const CONTRIBUTOR = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };

/** Random bytes from fast-check, the same for the same seed (so a failure can be replayed). */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
	return fc.sample(fc.uint8Array({ minLength: length, maxLength: length }), { numRuns: 1, seed })[0];
}

/** Random bytes whose first byte is no message type of the protocol (0–9 are, or are y-protocols' own). */
function pseudoRandomFrame(length: number, seed: number): Uint8Array {
	const frame = fc.tuple(fc.integer({ min: 10, max: 255 }), fc.uint8Array({ minLength: length - 1, maxLength: length - 1 }));
	const [type, rest] = fc.sample(frame, { numRuns: 1, seed })[0];
	return Uint8Array.of(type, ...rest);
}

/** A y-protocols sync "update" message (type 0, subtype 2) carrying `update`. */
function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** A real Yjs update appending a paragraph, as a client would produce it. */
function paragraphUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(text)]);
	doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

describe.each(databaseKinds())('collaboration on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editorToken: string;
	let editorCookie: string;
	let editorId: string;
	let contributorToken: string;
	let contributorId: string;
	let editorsPiece: string;
	let contributorsPiece: string;
	const clients: CollabClient[] = [];

	// Clients show no presence unless a test is about awareness: see the awareness tests for why.
	const connect = (pieceId: string, auth: Parameters<typeof connectCollab>[2], presence = false) => {
		const client = connectCollab(galley.wsUrl, pieceId, auth, { presence });
		clients.push(client);
		return client;
	};
	const pieceUrl = (pieceId: string, query = '') => `${galley.wsUrl}/${pieceId}${query}`;
	const content = async (pieceId: string, format = 'json') => {
		const api = new TestClient(galley.url);
		api.token = editorToken;
		const res = await api.get(`/api/pieces/${pieceId}/content?format=${format}`);
		expect(res.status).toBe(200);
		return format === 'json' ? res.json : res.text;
	};

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		editorCookie = editor.cookie!;
		const editorApi = await tokenClient(editor, 'collab tests');
		editorToken = editorApi.token!;
		editorId = (await editor.get('/api/me')).json.user.id;
		const created = await editor.post('/api/people', CONTRIBUTOR);
		expect(created.status).toBe(201);
		contributorId = created.json.user.id;
		const contributor = new TestClient(galley.url);
		expect((await contributor.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		const contributorApi = await tokenClient(contributor, 'collab tests');
		contributorToken = contributorApi.token!;
		editorsPiece = (await editorApi.post('/api/pieces', { kind: 'article', title: 'Editor’s article' })).json.piece.id;
		contributorsPiece = (await contributorApi.post('/api/pieces', { kind: 'brief', title: 'Carl’s brief' })).json.piece.id;
		expect(editorsPiece).toBeTruthy();
		expect(contributorsPiece).toBeTruthy();
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await galley?.stop();
		await database?.drop();
	});

	it('converges two clients on one piece, in both directions', async () => {
		const a = connect(editorsPiece, { token: editorToken });
		const b = connect(editorsPiece, { token: editorToken });
		await Promise.all([a.synced, b.synced]);
		// both start from the template the server seeded (never seeded by a client)
		expect(a.paragraphs().length).toBeGreaterThan(0);
		expect(b.paragraphs()).toEqual(a.paragraphs());
		a.appendParagraph('Written by A');
		await vi.waitFor(() => expect(b.paragraphs()).toContain('Written by A'), { timeout: 10_000 });
		b.appendParagraph('Written by B');
		await vi.waitFor(() => expect(a.paragraphs()).toContain('Written by B'), { timeout: 10_000 });
		expect(a.paragraphs()).toEqual(b.paragraphs());
		a.destroy();
		b.destroy();
	});

	it('acknowledges an edit as durable (message 8) with a state vector covering the client’s own clock', async () => {
		const client = connect(editorsPiece, { token: editorToken });
		await client.synced;
		// one ack arrives on connect: what is durable already, which knows nothing of this new client
		await vi.waitFor(() => expect(client.acks.length).toBeGreaterThan(0), { timeout: 10_000 });
		expect(client.acks[0].has(client.doc.clientID)).toBe(false);
		expect(client.ownEditsAcked()).toBe(true); // trivially: it has written nothing yet
		client.appendParagraph('Acknowledged edit');
		expect(client.ownEditsAcked()).toBe(false);
		await vi.waitFor(() => expect(client.ownEditsAcked()).toBe(true), { timeout: 10_000 });
		const ack = client.acks.at(-1)!;
		expect(ack.get(client.doc.clientID)).toBe(Y.getState(client.doc.store, client.doc.clientID));
		client.destroy();
	});

	it('closes a live connection when its API token is revoked (4003), or its session signs out (4401)', async () => {
		const signedIn = new TestClient(galley.url);
		expect((await signedIn.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		const created = await signedIn.post('/api/tokens', { name: 'to be revoked' });
		expect(created.status).toBe(201);
		const byToken = connect(contributorsPiece, { token: created.json.token });
		const byCookie = connect(contributorsPiece, { headers: { cookie: signedIn.cookie!, origin: galley.url } });
		const bystander = connect(contributorsPiece, { token: contributorToken }); // another sign-in of the same person
		await Promise.all([byToken.synced, byCookie.synced, bystander.synced]);

		expect((await signedIn.request('DELETE', `/api/tokens/${created.json.id}`)).status).toBe(200);
		await vi.waitFor(() => expect(byToken.closes[0]?.code).toBe(CLOSE.FORBIDDEN), { timeout: 10_000 });
		expect(byCookie.closes).toEqual([]);

		expect((await signedIn.post('/api/auth/logout')).status).toBe(200);
		await vi.waitFor(() => expect(byCookie.closes[0]?.code).toBe(CLOSE.SIGNED_OUT), { timeout: 10_000 });
		// The stock client tries again after 4003 (not after 4401, nor does Galley's editor after either): the
		// upgrade is refused every time.
		await vi.waitFor(() => expect(byToken.closes.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
		expect(byToken.provider.synced || byCookie.provider.synced).toBe(false);
		expect([...byToken.closes.slice(1), ...byCookie.closes.slice(1)].every((c) => c.code !== CLOSE.FORBIDDEN && c.code !== CLOSE.SIGNED_OUT)).toBe(true);
		expect(bystander.closes).toEqual([]);
		byToken.destroy();
		byCookie.destroy();
		bystander.destroy();
	});

	it('takes the link out of a javascript: citation written straight into the document, for every client and in storage', async () => {
		const writer = connect(editorsPiece, { token: editorToken });
		const reader = connect(editorsPiece, { token: editorToken });
		await Promise.all([writer.synced, reader.synced]);
		const text = new Y.XmlText();
		const paragraph = new Y.XmlElement('paragraph');
		paragraph.insert(0, [text]);
		writer.doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
		const citation = { sourceId: null, source: 'Hostile Source', url: 'javascript:alert(document.cookie)', date: 'May 1', qualifier: null };
		text.insert(0, 'Hostile Source', { citation });
		const linkOf = (client: CollabClient) => {
			const body = client.doc.getXmlFragment(BODY_FRAGMENT);
			const last = body.get(body.length - 1) as Y.XmlElement;
			const delta = (last.get(0) as Y.XmlText).toDelta() as { insert: string; attributes?: { citation?: { url: unknown; source: string } } }[];
			return delta[0]?.attributes?.citation;
		};
		await vi.waitFor(() => {
			expect(linkOf(writer)).toEqual({ ...citation, url: null });
			expect(linkOf(reader)).toEqual({ ...citation, url: null });
		}, { timeout: 10_000 });
		await vi.waitFor(() => expect(writer.ownEditsAcked()).toBe(true), { timeout: 10_000 });
		const stored = JSON.stringify(await content(editorsPiece, 'json'));
		expect(stored).toContain('Hostile Source');
		expect(stored).not.toContain('javascript:');
		writer.destroy();
		reader.destroy();
	});

	it('stamps awareness with the real account: a client claiming to be someone else is seen under its own name', async () => {
		const mallory = connect(contributorsPiece, { token: contributorToken }, true);
		const observer = connect(contributorsPiece, { headers: { authorization: `Bearer ${editorToken}` } }, true);
		// The observer only watches: the stock client echoes every awareness change it receives back to the
		// server, which the server currently punishes (see the next test), so switch its echo off here.
		stopAwarenessEcho(observer.provider);
		await Promise.all([mallory.synced, observer.synced]);
		mallory.provider.awareness.setLocalStateField('user', { id: editorId, name: 'Mallory', color: '#ff0000' });
		mallory.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
		const seen = await vi.waitFor(() => {
			const state = observer.provider.awareness.getStates().get(mallory.doc.clientID);
			expect(state?.cursor).toEqual({ anchor: 1, head: 1 });
			return state!;
		}, { timeout: 10_000 });
		expect(seen.user).toEqual({ id: contributorId, name: CONTRIBUTOR.name, color: expect.any(String) });
		expect(seen.user.color).not.toBe('#ff0000');
		expect(mallory.closes).toEqual([]);
		mallory.destroy();
		observer.destroy();
	});

	// Stock clients echo every awareness change they receive; the server must ignore echoes, not close on them.
	it('keeps two stock clients with presence connected while each sees the other, stamped', async () => {
		const carl = connect(contributorsPiece, { token: contributorToken }, true);
		const eda = connect(contributorsPiece, { token: editorToken }, true);
		await Promise.all([carl.synced, eda.synced]);
		carl.provider.awareness.setLocalStateField('user', { name: 'Not Carl' });
		eda.provider.awareness.setLocalStateField('user', { name: 'Not Eda' });
		const closes = () => [...carl.closes, ...eda.closes];
		await vi.waitFor(() => {
			if (closes().length) return; // fail at once below rather than poll a flapping connection
			expect(eda.provider.awareness.getStates().get(carl.doc.clientID)?.user).toMatchObject({ id: contributorId, name: CONTRIBUTOR.name });
			expect(carl.provider.awareness.getStates().get(eda.doc.clientID)?.user).toMatchObject({ id: editorId, name: 'Eda Editor' });
		}, { timeout: 10_000 });
		expect(closes()).toEqual([]);
		// one more round trip, so an echo of the last change has come back through the server
		carl.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
		await vi.waitFor(() => {
			if (closes().length) return;
			expect(eda.provider.awareness.getStates().get(carl.doc.clientID)?.cursor).toEqual({ anchor: 2, head: 2 });
		}, { timeout: 10_000 });
		expect(closes()).toEqual([]);
		// each is told the caret colour the other sees for it, and the two differ
		const colourOf = (client: CollabClient) => client.notices.find((n) => n.type === 'presence');
		expect(colourOf(carl)).toEqual({ type: 'presence', color: eda.provider.awareness.getStates().get(carl.doc.clientID)?.user.color });
		expect(colourOf(eda)).toEqual({ type: 'presence', color: carl.provider.awareness.getStates().get(eda.doc.clientID)?.user.color });
		expect(colourOf(carl)).not.toEqual(colourOf(eda));
		carl.destroy();
		eda.destroy();
	});

	describe('upgrade checks', () => {
		it('refuses an upgrade without credentials with HTTP 401 and sends nothing', async () => {
			const { outcome, ended } = rawSocket(pieceUrl(editorsPiece));
			await ended;
			expect(outcome.status).toBe(401);
			expect(outcome.opened).toBe(false);
			expect(outcome.messages).toBe(0);
		});

		it('refuses an unknown or revoked token with HTTP 401', async () => {
			const unknown = rawSocket(pieceUrl(editorsPiece, '?token=glly_made-up'));
			expect((await unknown.ended).status).toBe(401);
			const editor = new TestClient(galley.url);
			editor.token = editorToken;
			const created = await editor.post('/api/tokens', { name: 'revoked soon' });
			expect((await editor.request('DELETE', `/api/tokens/${created.json.id}`)).status).toBe(200);
			const revoked = rawSocket(pieceUrl(editorsPiece, `?token=${created.json.token}`));
			const outcome = await revoked.ended;
			expect(outcome.status).toBe(401);
			expect(outcome.messages).toBe(0);
		});

		it('refuses a foreign Origin with HTTP 403 even with a valid token, and accepts the app’s own', async () => {
			const foreign = rawSocket(pieceUrl(editorsPiece, `?token=${editorToken}`), { origin: 'http://evil.example' });
			const outcome = await foreign.ended;
			expect(outcome.status).toBe(403);
			expect(outcome.messages).toBe(0);
			const own = rawSocket(pieceUrl(editorsPiece, `?token=${editorToken}`), { origin: galley.url });
			await own.firstMessage;
			expect(own.outcome.opened).toBe(true);
			own.ws.close();
		});

		it('refuses a made-up session cookie with HTTP 401, also from the app’s own Origin', async () => {
			const madeUp = await rawSocket(pieceUrl(editorsPiece), { origin: galley.url, cookie: 'galley_session=made-up' }).ended;
			expect(madeUp.status).toBe(401);
			expect(madeUp.messages).toBe(0);
			const bare = await rawSocket(pieceUrl(editorsPiece), { origin: galley.url }).ended;
			expect(bare.status).toBe(401);
		});

		it('refuses a foreign Origin with HTTP 403 with a valid Bearer header or session cookie too, and lets the session in from the app’s own', async () => {
			for (const credentials of [{ authorization: `Bearer ${editorToken}` }, { cookie: editorCookie }] as Record<string, string>[]) {
				const outcome = await rawSocket(pieceUrl(editorsPiece), { origin: 'http://evil.example', ...credentials }).ended;
				expect(outcome.status, Object.keys(credentials)[0]).toBe(403);
				expect(outcome.messages).toBe(0);
			}
			const own = rawSocket(pieceUrl(editorsPiece), { origin: galley.url, cookie: editorCookie });
			await own.firstMessage;
			expect(own.outcome.opened).toBe(true);
			own.ws.close();
		});

		it('refuses a piece the user may not see and one that does not exist alike (404)', async () => {
			const hidden = await rawSocket(pieceUrl(editorsPiece, `?token=${contributorToken}`)).ended;
			expect(hidden.status).toBe(404);
			expect(hidden.messages).toBe(0);
			const hiddenByHeader = await rawSocket(pieceUrl(editorsPiece), { authorization: `Bearer ${contributorToken}` }).ended;
			expect(hiddenByHeader.status).toBe(404);
			expect(hiddenByHeader.messages).toBe(0);
			const missing = await rawSocket(pieceUrl('no-such-piece', `?token=${editorToken}`)).ended;
			expect(missing.status).toBe(404);
			// while their own piece opens, with the Bearer header instead of ?token=
			const own = rawSocket(pieceUrl(contributorsPiece), { authorization: `Bearer ${contributorToken}` });
			await own.firstMessage;
			own.ws.close();
		});

		it('closes an outdated editor (?schema=0) with 4009, and accepts the current schema', async () => {
			const old = rawSocket(pieceUrl(editorsPiece, `?token=${editorToken}&schema=0`));
			const outcome = await old.ended;
			expect(outcome.opened).toBe(true);
			expect(outcome.close?.code).toBe(CLOSE.SCHEMA_OUTDATED);
			expect(outcome.close?.code).toBe(4009);
			expect(outcome.messages).toBe(0);
			// The schema before participants became nodes (3) would drop them: refused too.
			const previous = rawSocket(pieceUrl(editorsPiece, `?token=${editorToken}&schema=${EDITOR_SCHEMA_VERSION - 1}`));
			expect((await previous.ended).close?.code).toBe(4009);
			const current = rawSocket(pieceUrl(editorsPiece, `?token=${editorToken}&schema=${EDITOR_SCHEMA_VERSION}`));
			await current.firstMessage;
			expect(current.outcome.close).toBeNull();
			current.ws.close();
		});
	});

	describe('malformed frames', () => {
		const valid = paragraphUpdate('must never be stored');
		const frames: [string, Uint8Array | string][] = [
			['random bytes', pseudoRandomFrame(200, 0x9e3779b9)],
			['an update of random bytes', syncUpdateMessage(pseudoRandomBytes(200, 12345))],
			['a zero-length update', syncUpdateMessage(new Uint8Array(0))],
			['a truncated update', syncUpdateMessage(valid.slice(0, Math.floor(valid.length / 2)))],
			['a frame cut off inside the update', syncUpdateMessage(valid).slice(0, 12)],
			['an empty binary frame', new Uint8Array(0)],
			['an unknown message type', new Uint8Array([42, 0, 0])],
			['a text frame', 'hello, this is text']
		];

		let writer: CollabClient;
		let reader: CollabClient;
		let before: unknown;

		beforeAll(async () => {
			writer = connect(contributorsPiece, { token: contributorToken });
			reader = connect(contributorsPiece, { token: editorToken });
			await Promise.all([writer.synced, reader.synced]);
			before = await content(contributorsPiece);
		});

		it.each(frames)('closes the connection that sends %s with 1007/1008', async (_name, frame) => {
			const bad = rawSocket(pieceUrl(contributorsPiece, `?token=${contributorToken}`));
			await bad.firstMessage; // attached to the live document
			bad.ws.send(frame, { binary: typeof frame !== 'string' });
			const outcome = await bad.ended;
			expect([CLOSE.INVALID_DATA, CLOSE.POLICY]).toContain(outcome.close?.code);
		});

		it('keeps the other clients on the piece working, and the stored content unchanged', async () => {
			expect(writer.provider.wsconnected).toBe(true);
			expect(reader.provider.wsconnected).toBe(true);
			expect(writer.closes).toEqual([]);
			expect(await content(contributorsPiece)).toEqual(before);
			expect(JSON.stringify(before)).not.toContain('must never be stored');

			writer.appendParagraph('Still working');
			await vi.waitFor(() => expect(reader.paragraphs()).toContain('Still working'), { timeout: 10_000 });
			await vi.waitFor(() => expect(writer.ownEditsAcked()).toBe(true), { timeout: 10_000 });
			const after = await content(contributorsPiece, 'markdown');
			expect(after).toContain('Still working');
			expect(after).not.toContain('must never be stored');
			writer.destroy();
			reader.destroy();
		});
	});

	it('locks the text of an approved piece: open connections are closed (4001), reopen read-only, and edits are refused', async () => {
		const author = new TestClient(galley.url);
		author.token = contributorToken;
		const editorApi = new TestClient(galley.url);
		editorApi.token = editorToken;
		const pieceId = (await author.post('/api/pieces', { kind: 'brief', title: 'To be approved' })).json.piece.id;
		const client = connect(pieceId, { token: contributorToken });
		await client.synced;
		client.appendParagraph('Written before approval');
		await vi.waitFor(() => expect(client.ownEditsAcked()).toBe(true), { timeout: 10_000 });

		expect((await author.post(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status).toBe(200);
		expect(client.closes).toEqual([]); // still editable in review
		expect((await editorApi.post(`/api/pieces/${pieceId}/review`, { to: 'approved' })).status).toBe(200);
		await vi.waitFor(() => expect(client.closes.map((c) => c.code)).toContain(CLOSE.RIGHTS_CHANGED), { timeout: 10_000 });
		// the stock client reconnects by itself, and is told it is read-only now
		await vi.waitFor(() => expect(client.notices.map((n) => n.type)).toContain('read_only'), { timeout: 10_000 });
		await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
		const before = await content(pieceId);
		client.appendParagraph('Written after approval');
		await vi.waitFor(() => expect(client.notices.map((n) => n.type)).toContain('update_rejected'), { timeout: 10_000 });
		expect(await content(pieceId)).toEqual(before);
		expect(JSON.stringify(before)).toContain('Written before approval');
		// an observer that connects now does not get the refused edit either
		const observer = connect(pieceId, { token: editorToken });
		await observer.synced;
		expect(observer.paragraphs()).toContain('Written before approval');
		expect(observer.paragraphs()).not.toContain('Written after approval');
		client.destroy();
		observer.destroy();
	});

	describe('durability across restarts', () => {
		it('keeps an acknowledged edit after the server is killed (SIGKILL) and started again', async () => {
			const client = connect(editorsPiece, { token: editorToken });
			await client.synced;
			client.appendParagraph('Survives kill -9');
			client.appendParagraph('Deleted before kill -9');
			await vi.waitFor(() => expect(client.ownEditsAcked()).toBe(true), { timeout: 10_000 });
			// A pure deletion moves no Yjs clock, so the state vector cannot tell it is durable: the ack's
			// second field (frames settled) does. Once it covers the deleting frame, the deletion is stored.
			const body = client.doc.getXmlFragment(BODY_FRAGMENT);
			const stateBefore = Y.encodeStateVector(client.doc);
			body.delete(body.length - 1, 1);
			expect(Y.encodeStateVector(client.doc)).toEqual(stateBefore);
			const deletingFrame = client.framesSent();
			await vi.waitFor(() => expect(client.settledFrames()).toBeGreaterThanOrEqual(deletingFrame), { timeout: 10_000 });
			await galley.kill();
			client.destroy();

			galley = await startGalley(serverEnv(database));
			const again = connect(editorsPiece, { token: editorToken });
			await again.synced;
			expect(again.paragraphs()).toContain('Survives kill -9');
			expect(again.paragraphs()).not.toContain('Deleted before kill -9');
			again.destroy();
			expect(await content(editorsPiece, 'markdown')).toContain('Survives kill -9');
		}, RESTART_TIMEOUT);

		it('stores everything it relayed when stopped gracefully (SIGTERM) while a client types, and exits 0', async () => {
			const writer = connect(editorsPiece, { token: editorToken });
			const observer = connect(editorsPiece, { token: editorToken });
			await Promise.all([writer.synced, observer.synced]);
			let n = 0;
			const typing = setInterval(() => writer.appendParagraph(`line ${n++}`), 3);
			let seenAtShutdown: string[] = [];
			try {
				await vi.waitFor(() => expect(observer.paragraphs().filter((p) => p.startsWith('line ')).length).toBeGreaterThan(20), { timeout: 10_000 });
				const exitCode = await galley.stop();
				seenAtShutdown = observer.paragraphs().filter((p) => p.startsWith('line '));
				expect(exitCode).toBe(0);
			} finally {
				clearInterval(typing);
			}
			expect(galley.output()).toContain('shutting down');
			writer.destroy();
			observer.destroy();

			galley = await startGalley(serverEnv(database));
			const again = connect(editorsPiece, { token: editorToken });
			await again.synced;
			const stored = new Set(again.paragraphs());
			again.destroy();
			const lost = seenAtShutdown.filter((line) => !stored.has(line));
			expect(lost).toEqual([]);
			// the server said goodbye with "going away" (reconnect later), not a dropped connection
			await vi.waitFor(() => expect(observer.closes.map((c) => c.code)).toContain(CLOSE.GOING_AWAY), { timeout: 10_000 });
		}, RESTART_TIMEOUT);
	});
});
