// Notifications against a real Galley process, called like outside scripts do (Bearer tokens, no Origin):
// the API (list, page, mark read one and all, others' ids ignored), the live `notifications` event on the
// server-sent event stream, review moves notifying the right people, and e-mail delivered to a real SMTP
// server in this process (SMTP_URL), never to someone who turned it off. Reminders and recipients through
// assignments: see notification-reminders.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { freePort, startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };
const DORA = { email: 'dora@example.org', name: 'Dora Contributor', password: 'contributor secret 2', role: 'contributor' };

interface Note {
	id: string;
	type: string;
	pieceId?: string;
	actor: { id: string; name: string } | null;
	text: string;
	readAt: string | null;
}

/** Sign a person in and give back a Bearer client (no cookie, no Origin). */
async function bearerFor(base: string, person: { email: string; password: string }): Promise<TestClient> {
	const signedIn = new TestClient(base);
	expect((await signedIn.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
	return tokenClient(signedIn, 'notification tests');
}

/** The server-sent event stream of `client`, read as raw HTTP: resolves once it is listening. */
async function openEvents(base: string, client: TestClient) {
	const abort = new AbortController();
	const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${client.token}` }, signal: abort.signal });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('text/event-stream');
	const reader = res.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const readUntil = async (needle: string, times = 1) => {
		while (text.split(needle).length - 1 < times) {
			const { value, done } = await reader.read();
			if (done) throw new Error(`stream ended before "${needle}": ${text}`);
			text += decoder.decode(value, { stream: true });
		}
		return text;
	};
	await readUntil(': listening');
	return { readUntil, text: () => text, close: () => abort.abort() };
}

describe.each(databaseKinds())('notifications on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let inbox: SmtpInbox;
	let editor: TestClient;
	let carl: TestClient;
	let dora: TestClient;
	let editorId: string;
	let carlId: string;

	beforeAll(async () => {
		inbox = await startSmtpInbox();
		database = await freshTestDatabase(kind);
		// ORIGIN (hence a port chosen before start): e-mails link back to the app only when it knows its origin
		const port = await freePort();
		const env = { ...serverEnv(database), SMTP_URL: inbox.url, MAIL_FROM: 'Basin Watch desk <desk@example.org>', ORIGIN: `http://127.0.0.1:${port}` };
		galley = await startGalley(env, { port });
		editor = await tokenClient(await setUpEditor(galley.url), 'notification tests');
		for (const person of [CARL, DORA]) expect((await editor.post('/api/people', person)).status).toBe(201);
		carl = await bearerFor(galley.url, CARL);
		dora = await bearerFor(galley.url, DORA);
		editorId = (await editor.get('/api/me')).json.user.id;
		carlId = (await carl.get('/api/me')).json.user.id;
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
		await inbox?.close();
	});

	const list = async (client: TestClient, query = '') => {
		const res = await client.get(`/api/notifications${query}`);
		expect(res.status).toBe(200);
		return res.json as { notifications: Note[]; unread: number };
	};
	const move = async (client: TestClient, id: string, to: string, comment?: string) => {
		const res = await client.post(`/api/pieces/${id}/review`, comment ? { to, comment } : { to });
		expect(res.status, res.text).toBe(200);
	};
	const carlsPiece = async (title: string) => {
		const res = await carl.post('/api/pieces', { kind: 'article', title });
		expect(res.status).toBe(201);
		return res.json.piece.id as string;
	};

	it('requires authentication and validates what it is given', async () => {
		const anonymous = new TestClient(galley.url);
		expect((await anonymous.get('/api/notifications')).status).toBe(401);
		expect((await anonymous.post('/api/notifications/read', { all: true })).status).toBe(401);
		expect((await carl.get('/api/notifications?limit=0')).json.error.field).toBe('limit');
		expect((await carl.get('/api/notifications?before=no-such-id')).status).toBe(404);
		const bad = await carl.post('/api/notifications/read', { all: false });
		expect(bad.status).toBe(400);
		expect((await carl.post('/api/notifications/read', { ids: [] })).status).toBe(400);
		expect((await carl.patch('/api/me', { emailNotifications: 'no' })).status).toBe(400);
	});

	it('tells the editors of a submission and the author of each of the editor’s moves, naming the piece, the mover and the comment', async () => {
		const id = await carlsPiece('Reservoir levels in the upper basin');
		await move(carl, id, 'in_review');
		const [requested] = (await list(editor)).notifications;
		expect(requested).toMatchObject({ type: 'review_requested', pieceId: id, actor: { id: carlId, name: CARL.name }, readAt: null });
		expect(requested.text).toBe('Carl Contributor submitted “Reservoir levels in the upper basin” for review');
		expect((await list(carl)).notifications.map((n) => n.type)).not.toContain('review_requested'); // never of one's own move

		await move(editor, id, 'changes_requested', 'Cite the gauge readings from Kessel station.');
		await move(carl, id, 'in_review');
		await move(editor, id, 'approved');
		await move(editor, id, 'published');
		await move(editor, id, 'draft');
		const mine = (await list(carl)).notifications.filter((n) => n.pieceId === id);
		expect(mine.map((n) => n.type)).toEqual(['reopened', 'published', 'approved', 'changes_requested']); // newest first
		expect(mine.every((n) => n.actor?.id === editorId && n.actor.name === EDITOR.name)).toBe(true);
		expect(mine[3].text).toBe('Eda Editor requested changes to “Reservoir levels in the upper basin”: “Cite the gauge readings from Kessel station.”');
		expect((await list(editor)).notifications.filter((n) => n.pieceId === id).map((n) => n.text)).toEqual([
			'Carl Contributor resubmitted “Reservoir levels in the upper basin” for review',
			'Carl Contributor submitted “Reservoir levels in the upper basin” for review'
		]);
		expect((await list(dora)).notifications).toEqual([]); // nothing of Carl's piece reaches Dora
	});

	it('marks one read, ignores other people’s ids, then marks all read, answering the unread count', async () => {
		const id = await carlsPiece('Sediment in the lower reservoirs');
		await move(carl, id, 'in_review');
		await move(editor, id, 'changes_requested', 'Date the sediment samples.');
		await move(carl, id, 'in_review');
		await move(editor, id, 'approved');
		const before = await list(carl);
		expect(before.unread).toBeGreaterThanOrEqual(2);
		const [newest] = before.notifications;
		const editorsOwn = (await list(editor)).notifications[0];

		const one = await carl.post('/api/notifications/read', { ids: [newest.id, editorsOwn.id, 'unknown-id'] });
		expect(one.status).toBe(200);
		expect(one.json).toEqual({ unread: before.unread - 1 });
		expect((await list(carl)).notifications[0].readAt).not.toBeNull();
		expect((await list(editor)).notifications.find((n) => n.id === editorsOwn.id)!.readAt).toBeNull(); // not Carl's to mark

		const all = await carl.post('/api/notifications/read', { all: true });
		expect(all.json).toEqual({ unread: 0 });
		const after = await list(carl);
		expect(after.unread).toBe(0);
		expect(after.notifications.every((n) => n.readAt !== null)).toBe(true);
	});

	it('pages newest first with `limit` and `before` (an id or a time)', async () => {
		const everything = (await list(carl, '?limit=200')).notifications;
		expect(everything.length).toBeGreaterThanOrEqual(4);
		const first = (await list(carl, '?limit=2')).notifications;
		expect(first.map((n) => n.id)).toEqual(everything.slice(0, 2).map((n) => n.id));
		const next = (await list(carl, `?limit=2&before=${first[1].id}`)).notifications;
		expect(next.map((n) => n.id)).toEqual(everything.slice(2, 4).map((n) => n.id));
		expect((await list(carl, `?before=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).notifications).toEqual([]);
	});

	it('sends a `notifications` event on the person’s own event stream when they are notified or read', async () => {
		const events = await openEvents(galley.url, carl);
		try {
			const id = await carlsPiece('Floodplain mapping after the spring melt');
			await move(carl, id, 'in_review');
			expect(events.text()).not.toContain('event: notifications'); // Carl's own move notifies the editors only
			await move(editor, id, 'changes_requested', 'Add the 2025 survey.');
			await events.readUntil('event: notifications');
			expect(events.text()).toContain('data: {"type":"notifications"}');
			expect((await list(carl)).unread).toBeGreaterThan(0);
			// reading them changes the count the header shows: another nudge (for Carl's other pages)
			expect((await carl.post('/api/notifications/read', { all: true })).json).toEqual({ unread: 0 });
			await events.readUntil('event: notifications', 2);
		} finally {
			events.close();
		}
	});

	it('e-mails each notification to the person, from MAIL_FROM, with the notification as subject', async () => {
		const id = await carlsPiece('Groundwater recharge in dry years');
		await move(carl, id, 'in_review');
		await move(editor, id, 'approved');
		const mail = await vi.waitFor(() => {
			const found = inbox.mail.find((m) => m.subject === 'Eda Editor approved “Groundwater recharge in dry years”');
			if (!found) throw new Error(`no such e-mail yet: ${JSON.stringify(inbox.mail.map((m) => m.subject))}`);
			return found;
		}, { timeout: 10_000 });
		expect(mail.to).toEqual([CARL.email]);
		expect(mail.from).toBe('desk@example.org');
		expect(mail.body).toContain(`Open the piece: ${galley.url}/pieces/${id}`);
		const toEditor = await vi.waitFor(() => inbox.mail.find((m) => m.subject === 'Carl Contributor submitted “Groundwater recharge in dry years” for review') ?? Promise.reject(new Error('not yet')), { timeout: 10_000 });
		expect(toEditor.to).toEqual([EDITOR.email]);
	});

	it('sends no e-mail to someone who turned it off, and shows the setting on GET /api/me', async () => {
		expect((await carl.get('/api/me')).json.user.emailNotifications).toBe(true);
		const off = await carl.patch('/api/me', { emailNotifications: false });
		expect(off.status).toBe(200);
		expect(off.json.user).toMatchObject({ id: carlId, emailNotifications: false });
		try {
			const id = await carlsPiece('Irrigation quotas on the Vell');
			await move(carl, id, 'in_review');
			await move(editor, id, 'approved'); // to Carl: stored, not e-mailed
			await move(editor, id, 'draft'); // to Carl: stored, not e-mailed
			await move(carl, id, 'in_review'); // to the editor, who still gets e-mail: it arrives after Carl's were skipped
			await vi.waitFor(() => inbox.mail.find((m) => m.subject === 'Carl Contributor submitted “Irrigation quotas on the Vell” for review') ?? Promise.reject(new Error('not yet')), { timeout: 10_000 });
			expect((await list(carl)).notifications.filter((n) => n.pieceId === id).map((n) => n.type)).toEqual(['reopened', 'approved']);
			expect(inbox.mail.filter((m) => m.subject.includes('Irrigation quotas') && m.to.includes(CARL.email))).toEqual([]);
		} finally {
			await carl.patch('/api/me', { emailNotifications: true });
		}
	});

	it('stops e-mailing someone who follows the one-click unsubscribe link of an e-mail (List-Unsubscribe, RFC 8058), and refuses a forged link', async () => {
		const id = await carlsPiece('Snowpack and the April forecast');
		await move(carl, id, 'in_review'); // e-mailed to the editor
		const mail = await vi.waitFor(() => inbox.mail.find((m) => m.subject === 'Carl Contributor submitted “Snowpack and the April forecast” for review') ?? Promise.reject(new Error('not yet')), { timeout: 10_000 });
		expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
		const link = /^<(.+)>$/.exec(mail.header('List-Unsubscribe') ?? '')?.[1];
		expect(link).toMatch(new RegExp(`^${galley.url}/unsubscribe\\?u=`));
		try {
			const forged = new URL(link!);
			forged.searchParams.set('t', 'A'.repeat(43));
			const page = await fetch(forged);
			expect(await page.text()).toContain('This unsubscribe link is not valid');
			const refused = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
			expect(refused.status).toBe(404);
			expect((await editor.get('/api/me')).json.user.emailNotifications).toBe(true);

			expect((await fetch(link!)).status).toBe(200); // opening the link changes nothing
			expect((await editor.get('/api/me')).json.user.emailNotifications).toBe(true);
			// what a mail client sends: no cookie, no Origin
			const done = await fetch(link!, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
			expect(done.status).toBe(200);
			expect((await editor.get('/api/me')).json.user.emailNotifications).toBe(false);
		} finally {
			await editor.patch('/api/me', { emailNotifications: true });
		}
	});
});
