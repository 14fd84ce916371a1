// Section rights enforced on the server, proved against a crafted stock y-websocket client (what a browser
// runs, minus the browser's own filter): a contributor assigned only the ferry section of an article writes
// there and nowhere else. Each update writing outside (an insertion, a deletion, a format, an attribute,
// the section's heading, a block before the first heading) is refused as a whole: the sender is told
// (`update_rejected`, resync), the other client never receives it, and the stored piece, read afresh by a
// restarted server, does not hold it. Inside, updates are accepted, stored and relayed. A section whose
// heading is gone allows nothing; a whole-piece author is not restricted. Over HTTP, the section author may
// not import a transcript (the whole text), change details or move the piece through review.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { insertAssignments } from '../support/assignments';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

const START_TIMEOUT = 180_000;

const people = {
	carl: { email: 'carl@example.org', name: 'Carl Ferryman', password: 'contributor secret 1', role: 'contributor' },
	dora: { email: 'dora@example.org', name: 'Dora Damsworth', password: 'contributor secret 2', role: 'contributor' },
	erin: { email: 'erin@example.org', name: 'Erin Gone', password: 'contributor secret 3', role: 'contributor' }
};
type Person = keyof typeof people;

/** The article: an opening, the ferry section (Carl's) and the dam section. */
const BLOCKS: [string, string, Record<string, unknown>?][] = [
	['paragraph', 'Opening of the Basin Watch brief.'],
	['heading', 'The ferry', { level: 2, id: 'sec-ferry' }],
	['paragraph', 'Ferry one.'],
	['heading', 'The dam', { level: 2, id: 'sec-dam' }],
	['paragraph', 'Dam one.']
];

function block(name: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	el.insert(0, [new Y.XmlText(text)]);
	return el;
}

const bodyOf = (c: CollabClient) => c.doc.getXmlFragment(BODY_FRAGMENT);
const textOf = (c: CollabClient, i: number) => (bodyOf(c).get(i) as Y.XmlElement).get(0) as Y.XmlText;
const texts = (c: CollabClient) => bodyOf(c).toArray().map((el) => (el as Y.XmlElement).toArray().map((t) => String(t)).join(''));

describe.each(databaseKinds())('section rights on the websocket, on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let pieceId: string;
	let api: Record<Person | 'editor', TestClient>;
	const open: CollabClient[] = [];

	const connect = async (who: Person | 'editor') => {
		const client = connectCollab(galley.wsUrl, pieceId, { token: api[who].token! }, { presence: false });
		open.push(client);
		await client.synced;
		return client;
	};

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await tokenClient(await setUpEditor(galley.url), 'section rights');
		api = { editor } as typeof api;
		const ids = {} as Record<Person, string>;
		for (const [who, person] of Object.entries(people) as [Person, (typeof people)[Person]][]) {
			expect((await editor.post('/api/people', person)).status).toBe(201);
			const signedIn = new TestClient(galley.url);
			expect((await signedIn.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
			api[who] = await tokenClient(signedIn, 'section rights');
		}
		for (const p of (await editor.get('/api/people')).json.people as { id: string; email: string }[]) {
			for (const [who, person] of Object.entries(people) as [Person, (typeof people)[Person]][]) if (p.email === person.email) ids[who] = p.id;
		}
		const created = await editor.post('/api/pieces', { kind: 'article', title: 'Basin Watch: the ferry and the dam' });
		expect(created.status).toBe(201);
		pieceId = created.json.piece.id;
		// the editor writes the article's text, and it is stored
		const writer = await connect('editor');
		writer.doc.transact(() => {
			bodyOf(writer).delete(0, bodyOf(writer).length);
			bodyOf(writer).insert(0, BLOCKS.map(([name, text, attrs]) => block(name, text, attrs)));
		});
		const frame = writer.framesSent();
		await vi.waitFor(() => expect(writer.settledFrames()).toBeGreaterThanOrEqual(frame), { timeout: 10_000 });
		writer.destroy();
		expect(await galley.stop()).toBe(0);
		await insertAssignments(database, [
			{ pieceId, userId: ids.carl, role: 'author', sectionId: 'sec-ferry' },
			{ pieceId, userId: ids.dora, role: 'author' },
			{ pieceId, userId: ids.erin, role: 'reviewer', sectionId: 'sec-gone' }
		]);
		galley = await startGalley(serverEnv(database));
		for (const client of Object.values(api)) Object.assign(client, { base: galley.url });
	}, START_TIMEOUT);

	afterAll(async () => {
		open.forEach((c) => c.destroy());
		await galley?.stop();
		await database?.drop();
	});

	/**
	 * Carl (a fresh client, as after a resync) makes `change`; it is refused: he is told, with `resync`, and
	 * Dora, connected meanwhile, never gets it (she gets an edit of hers made after it, so anything sent
	 * before would have reached her first). Returns nothing; the piece is as it was.
	 */
	async function refused(change: (c: CollabClient) => void, who: Person = 'carl') {
		const dora = await connect('dora');
		const sender = await connect(who);
		const before = texts(dora);
		change(sender);
		await vi.waitFor(() => expect(sender.notices.find((n) => n.type === 'update_rejected')).toMatchObject({ type: 'update_rejected', resync: true }), { timeout: 10_000 });
		expect(sender.closes).toEqual([]); // refused, not disconnected
		// a later edit of Dora's reaches the sender: everything before it was handled
		const marker = `checked ${Math.random().toString(36).slice(2, 8)} `;
		const last = bodyOf(dora).length - 1; // the dam's paragraph
		textOf(dora, last).insert(0, marker);
		await vi.waitFor(() => expect(texts(sender).some((t) => t.includes(marker))).toBe(true), { timeout: 10_000 });
		await vi.waitFor(() => expect(texts(dora)).toEqual(before.map((t, i) => (i === last ? marker + t : t))), { timeout: 10_000 });
		sender.destroy();
		dora.destroy();
	}

	it('refuses an insertion, a deletion, a format and an attribute change outside the section, as a whole', async () => {
		await refused((c) => textOf(c, 4).insert(0, 'Carl was here. '));
		await refused((c) => textOf(c, 0).delete(0, 8));
		await refused((c) => textOf(c, 4).format(0, 3, { bold: {} }));
		await refused((c) => (bodyOf(c).get(4) as Y.XmlElement).setAttribute('textAlign', 'center'));
		// one edit inside with one outside, in one update: nothing of it
		await refused((c) => c.doc.transact(() => (textOf(c, 2).insert(0, 'inside '), textOf(c, 4).insert(0, 'outside '))));
	});

	it('refuses a change of the section’s heading and a block before the first heading', async () => {
		await refused((c) => textOf(c, 1).insert(0, 'Re: '));
		await refused((c) => (bodyOf(c).get(1) as Y.XmlElement).setAttribute('id', 'sec-stolen'));
		await refused((c) => bodyOf(c).delete(1, 1));
		await refused((c) => bodyOf(c).insert(0, [block('paragraph', 'Before everything.')]));
		await refused((c) => bodyOf(c).insert(1, [block('paragraph', 'Before the ferry.')]));
		await refused((c) => bodyOf(c).insert(3, [block('heading', 'A rival section', { level: 2, id: 'sec-rival' })]));
	});

	it('accepts, stores and relays what the section author writes inside the section', async () => {
		const dora = await connect('dora');
		const carl = await connect('carl');
		textOf(carl, 2).insert(textOf(carl, 2).length, ' Carl adds a line.');
		bodyOf(carl).insert(3, [block('paragraph', 'Ferry two, by Carl.')]);
		await vi.waitFor(() => expect(texts(dora).slice(2, 4)).toEqual(['Ferry one. Carl adds a line.', 'Ferry two, by Carl.']), { timeout: 10_000 });
		const frame = carl.framesSent();
		await vi.waitFor(() => expect(carl.settledFrames()).toBeGreaterThanOrEqual(frame), { timeout: 10_000 });
		expect(carl.notices.filter((n) => n.type === 'update_rejected')).toEqual([]);
		carl.destroy();
		dora.destroy();
	});

	it('a section whose heading is gone (detached) allows nothing; a whole-piece author writes anywhere', async () => {
		await refused((c) => textOf(c, 2).insert(0, 'Erin: '), 'erin');
		const carl = await connect('carl');
		const dora = await connect('dora');
		textOf(dora, 0).insert(0, 'Dora: ');
		await vi.waitFor(() => expect(texts(carl)[0]).toMatch(/^Dora: /), { timeout: 10_000 });
		expect(dora.notices.filter((n) => n.type === 'update_rejected')).toEqual([]);
		const frame = dora.framesSent();
		await vi.waitFor(() => expect(dora.settledFrames()).toBeGreaterThanOrEqual(frame), { timeout: 10_000 });
		carl.destroy();
		dora.destroy();
	});

	it('over HTTP the section author views the piece but imports no transcript, changes no details and makes no review move', async () => {
		const piece = await api.carl.get(`/api/pieces/${pieceId}`);
		expect(piece.status).toBe(200);
		expect(piece.json.piece.actions).toMatchObject({ view: true, edit_text: true, replace_text: false, update_details: false, change_review_state: false });
		expect((await api.carl.post(`/api/pieces/${pieceId}/transcript`, 'BW: A question?\nAV: An answer.', { 'content-type': 'text/plain' })).status).toBe(403);
		expect((await api.carl.post(`/api/pieces/${pieceId}/transcript?dryRun=1`, 'BW: A question?\nAV: An answer.', { 'content-type': 'text/plain' })).status).toBe(403);
		expect((await api.carl.patch(`/api/pieces/${pieceId}`, { title: 'Carl’s title' })).status).toBe(403);
		expect((await api.carl.post(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status).toBe(403);
		// the whole-piece author may
		expect((await api.dora.get(`/api/pieces/${pieceId}`)).json.piece.actions).toMatchObject({ edit_text: true, replace_text: true, update_details: true });
	});

	it('the stored piece, read by a restarted server, holds exactly what was accepted', async () => {
		open.forEach((c) => c.destroy());
		expect(await galley.stop()).toBe(0);
		galley = await startGalley(serverEnv(database));
		for (const client of Object.values(api)) Object.assign(client, { base: galley.url });
		const content = await api.editor.get(`/api/pieces/${pieceId}/content?format=json`);
		expect(content.status).toBe(200);
		const stored = (content.json.content as { type: string; attrs?: Record<string, unknown>; content?: { text: string }[] }[]).map((n) => [n.type, (n.content ?? []).map((t) => t.text).join(''), n.attrs?.id ?? null]);
		const checked = stored[5][1] as string;
		expect(checked).toMatch(/^(checked \w+ )+Dam one\.$/);
		expect(stored).toEqual([
			['paragraph', 'Dora: Opening of the Basin Watch brief.', null],
			['heading', 'The ferry', 'sec-ferry'],
			['paragraph', 'Ferry one. Carl adds a line.', null],
			['paragraph', 'Ferry two, by Carl.', null],
			['heading', 'The dam', 'sec-dam'],
			['paragraph', checked, null]
		]);
		// no format survived on the dam's text
		expect(JSON.stringify(content.json)).not.toContain('"bold"');
	});
});
