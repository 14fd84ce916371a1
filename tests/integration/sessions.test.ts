// Sessions and API tokens: sliding expiry with an absolute cap (times set in the database), expired sessions
// deleted (on use and at start), the `__Host-` cookie on an https origin, and API tokens that expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { databaseKinds, oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { rawSocket } from '../support/collab-client';
import { sleep } from '../support/collab-fixture';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';
import { apiTokens, sessions, users } from '../../src/lib/server/db/schema';
import { hashToken } from '../../src/lib/server/auth/tokens';
import {
	SESSION_IDLE_DAYS,
	SESSION_MAX_DAYS,
	actorFromApiToken,
	actorFromSession,
	createApiToken,
	createSession,
	deleteExpiredSessions
} from '../../src/lib/server/auth/sessions';

const START_TIMEOUT = 120_000;
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

async function open(database: GalleyTestDatabase): Promise<DatabaseHandle> {
	const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
	await handle.migrate('migrations');
	return handle;
}

describe.each(databaseKinds())('sessions and tokens in the database (%s)', (kind) => {
	let database: GalleyTestDatabase;
	let handle: DatabaseHandle;
	const userId = crypto.randomUUID();

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		handle = await open(database);
		await handle.db.insert(users).values({ id: userId, email: 'sam@example.org', name: 'Sam Session', passwordHash: 'x', role: 'editor', color: '#123456' });
	}, START_TIMEOUT);

	afterAll(async () => {
		await handle?.close();
		await database?.drop();
	});

	const row = async (token: string) => (await handle.db.select().from(sessions).where(eq(sessions.id, hashToken(token))))[0];
	const setTimes = (token: string, times: { createdAt?: Date; expiresAt?: Date }) => handle.db.update(sessions).set(times).where(eq(sessions.id, hashToken(token)));

	it(`starts a session expiring after ${SESSION_IDLE_DAYS} idle days, and does not write on every use`, async () => {
		const { token, expiresAt } = await createSession(handle.db, userId);
		expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_IDLE_DAYS * DAY - 60_000);
		expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + SESSION_IDLE_DAYS * DAY);
		const actor = await actorFromSession(handle.db, token);
		expect(actor?.id).toBe(userId);
		expect(actor?.renewedUntil).toBeUndefined();
		expect((await row(token)).expiresAt.getTime()).toBe(expiresAt.getTime());
	});

	it('slides: a use more than an hour after the last renewal pushes the expiry to 14 days from now', async () => {
		const { token } = await createSession(handle.db, userId);
		await setTimes(token, { createdAt: new Date(Date.now() - 20 * DAY), expiresAt: new Date(Date.now() + 3 * DAY) });
		const actor = await actorFromSession(handle.db, token);
		expect(actor?.id).toBe(userId);
		const stored = (await row(token)).expiresAt.getTime();
		expect(stored).toBeGreaterThan(Date.now() + SESSION_IDLE_DAYS * DAY - 60_000);
		expect(actor?.renewedUntil?.getTime()).toBe(stored);
	});

	it(`never slides past ${SESSION_MAX_DAYS} days after sign-in, and is refused (and deleted) after that`, async () => {
		const { token } = await createSession(handle.db, userId);
		const createdAt = new Date(Date.now() - (SESSION_MAX_DAYS - 2) * DAY);
		await setTimes(token, { createdAt, expiresAt: new Date(Date.now() + HOUR) });
		expect((await actorFromSession(handle.db, token))?.renewedUntil?.getTime()).toBe(createdAt.getTime() + SESSION_MAX_DAYS * DAY);
		// two days later: the cap has passed
		await setTimes(token, { createdAt: new Date(Date.now() - SESSION_MAX_DAYS * DAY - HOUR), expiresAt: new Date(Date.now() - HOUR) });
		expect(await actorFromSession(handle.db, token)).toBeNull();
		expect(await row(token)).toBeUndefined();
	});

	it('refuses a session idle past its expiry and deletes its row', async () => {
		const { token } = await createSession(handle.db, userId);
		await setTimes(token, { expiresAt: new Date(Date.now() - 1000) });
		expect(await actorFromSession(handle.db, token)).toBeNull();
		expect(await row(token)).toBeUndefined();
	});

	it('deletes every expired session in one sweep, and only those', async () => {
		const live = await createSession(handle.db, userId);
		const expired = await Promise.all([1, 2, 3].map(() => createSession(handle.db, userId)));
		for (const s of expired) await setTimes(s.token, { expiresAt: new Date(Date.now() - DAY) });
		expect(await deleteExpiredSessions(handle.db)).toBe(3);
		for (const s of expired) expect(await row(s.token)).toBeUndefined();
		expect(await row(live.token)).toBeDefined();
	});

	it('refuses an API token past its expiry like a revoked one', async () => {
		const created = await createApiToken(handle.db, userId, 'expiring', new Date(Date.now() + HOUR));
		expect((await actorFromApiToken(handle.db, created.token))?.id).toBe(userId);
		await handle.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, created.id));
		expect(await actorFromApiToken(handle.db, created.token)).toBeNull();
		const forever = await createApiToken(handle.db, userId, 'forever');
		expect(forever.expiresAt).toBeNull();
		expect((await actorFromApiToken(handle.db, forever.token))?.id).toBe(userId);
	});
});

describe.each(databaseKinds())('sessions over HTTP (%s)', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		editor = await setUpEditor(galley.url);
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('takes an expiry for API tokens (expiresInDays or expiresAt), lists expired ones as expired, and refuses them with 401', async () => {
		const inDays = await editor.post('/api/tokens', { name: 'a week', expiresInDays: 7 });
		expect(inDays.status).toBe(201);
		expect(Date.parse(inDays.json.expiresAt)).toBeGreaterThan(Date.now() + 7 * DAY - 60_000);
		const soon = await editor.post('/api/tokens', { name: 'two seconds', expiresAt: new Date(Date.now() + 2000).toISOString() });
		expect(soon.status).toBe(201);
		const script = new TestClient(galley.url);
		script.token = soon.json.token;
		expect((await script.get('/api/me')).status).toBe(200);
		await sleep(2500);
		const refused = await script.get('/api/me');
		expect(refused.status).toBe(401);
		const listed = (await editor.get('/api/tokens')).json.tokens as { name: string; expired: boolean; expiresAt: string | null }[];
		expect(listed.find((t) => t.name === 'two seconds')).toMatchObject({ expired: true });
		expect(listed.find((t) => t.name === 'a week')).toMatchObject({ expired: false });
		// and the websocket refuses it too
		const pieceId = (await editor.post('/api/pieces', { kind: 'brief', title: 'Tokens' })).json.piece.id;
		expect((await rawSocket(`${galley.wsUrl}/${pieceId}?token=${soon.json.token}`).ended).status).toBe(401);
	});

	it('refuses a token expiry in the past, both forms at once, or a bad number of days with 400 naming the field', async () => {
		const past = await editor.post('/api/tokens', { name: 'past', expiresAt: '2001-01-01T00:00:00Z' });
		expect(past.status).toBe(400);
		expect(past.json.error.field).toBe('expiresAt');
		const both = await editor.post('/api/tokens', { name: 'both', expiresAt: new Date(Date.now() + DAY).toISOString(), expiresInDays: 3 });
		expect(both.status).toBe(400);
		expect(both.json.error.field).toBe('expiresAt');
		const zero = await editor.post('/api/tokens', { name: 'zero', expiresInDays: 0 });
		expect(zero.status).toBe(400);
		expect(zero.json.error.field).toBe('expiresInDays');
		const garbled = await editor.post('/api/tokens', { name: 'garbled', expiresAt: 'next tuesday' });
		expect(garbled.status).toBe(400);
		expect(garbled.json.error.field).toBe('expiresAt');
		const names = ((await editor.get('/api/tokens')).json.tokens as { name: string }[]).map((t) => t.name);
		expect(names).not.toContain('past');
		expect(names).not.toContain('both');
	});

	it('ignores a __Host- cookie on an http origin (it accepts only galley_session there)', async () => {
		const token = /galley_session=([^;]*)/.exec(editor.cookie!)![1];
		const res = await fetch(`${galley.url}/api/me`, { headers: { cookie: `__Host-galley_session=${token}` } });
		expect(res.status).toBe(401);
	});
});

// The cookie's name and attributes are the server's, whatever stores the session (the session itself, its
// expiry and its deletion are proved on both databases above and below): PGlite only.
describe.each(oneDatabaseKind())('a server behind https (%s)', (kind) => {
	const ORIGIN = 'https://galley.example.test';
	let database: GalleyTestDatabase;
	let galley: RunningGalley;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley({ ...serverEnv(database), ORIGIN });
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('sets __Host-galley_session (Secure, Path=/, no Domain), accepts only that name, for the API and the websocket; signing out clears it', async () => {
		const setup = await fetch(`${galley.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(EDITOR) });
		expect(setup.status).toBe(201);
		const setCookie = setup.headers.get('set-cookie')!;
		expect(setCookie).toMatch(/^__Host-galley_session=[^;]+;/);
		expect(setCookie).toMatch(/;\s*Secure/i);
		expect(setCookie).toMatch(/;\s*Path=\//i);
		expect(setCookie).toMatch(/;\s*HttpOnly/i);
		expect(setCookie).not.toMatch(/Domain=/i);
		const token = /^__Host-galley_session=([^;]+)/.exec(setCookie)![1];
		const cookie = `__Host-galley_session=${token}`;

		expect((await fetch(`${galley.url}/api/me`, { headers: { cookie } })).status).toBe(200);
		expect((await fetch(`${galley.url}/api/me`, { headers: { cookie: `galley_session=${token}` } })).status).toBe(401);
		const created = await fetch(`${galley.url}/api/pieces`, { method: 'POST', headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'brief', title: 'Over https' }) });
		expect(created.status).toBe(201);
		const pieceId = (await created.json()).piece.id;

		const socket = rawSocket(`${galley.wsUrl}/${pieceId}`, { cookie, origin: ORIGIN });
		await socket.firstMessage;
		socket.ws.close();
		expect((await rawSocket(`${galley.wsUrl}/${pieceId}`, { cookie: `galley_session=${token}`, origin: ORIGIN }).ended).status).toBe(401);

		const out = await fetch(`${galley.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: ORIGIN } });
		expect(out.status).toBe(200);
		expect(out.headers.get('set-cookie')).toMatch(/^__Host-galley_session=;.*Secure/i);
		expect((await fetch(`${galley.url}/api/me`, { headers: { cookie } })).status).toBe(401);
	});
});

describe.each(databaseKinds())('sessions across a restart (%s)', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley | undefined;

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('renews the cookie of a session it slid, and deletes expired sessions at start', async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		const other = new TestClient(galley.url);
		expect((await other.post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
		expect(await galley.stop()).toBe(0); // PGlite: one process at a time
		galley = undefined;

		const token = (client: TestClient) => /galley_session=([^;]*)/.exec(client.cookie!)![1];
		let handle = await open(database);
		await handle.db.update(sessions).set({ expiresAt: new Date(Date.now() + 5 * DAY) }).where(eq(sessions.id, hashToken(token(editor))));
		await handle.db.update(sessions).set({ expiresAt: new Date(Date.now() - DAY) }).where(eq(sessions.id, hashToken(token(other))));
		await handle.close();

		galley = await startGalley(serverEnv(database));
		const res = await fetch(`${galley.url}/api/me`, { headers: { cookie: editor.cookie! } });
		expect(res.status).toBe(200);
		const renewed = res.headers.get('set-cookie');
		expect(renewed).toMatch(new RegExp(`^galley_session=${token(editor)};`));
		const expires = Date.parse(/Expires=([^;]+)/i.exec(renewed!)![1]);
		expect(expires).toBeGreaterThan(Date.now() + (SESSION_IDLE_DAYS - 1) * DAY);
		// a second request within the hour writes nothing and sets no cookie
		expect((await fetch(`${galley.url}/api/me`, { headers: { cookie: editor.cookie! } })).headers.get('set-cookie')).toBeNull();
		expect(await galley.stop()).toBe(0);
		galley = undefined;

		handle = await open(database);
		const left = await handle.db.select({ id: sessions.id }).from(sessions);
		await handle.close();
		expect(left.map((s) => s.id)).toEqual([hashToken(token(editor))]); // the expired one was deleted at start
	}, 240_000);
});
