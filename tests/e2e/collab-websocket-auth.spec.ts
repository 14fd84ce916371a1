// The collaboration websocket refuses upgrades without credentials, and from foreign origins even with
// valid ones (cross-site websocket hijacking). Driven from Node with the `ws` package: no browser needed.
import { test, expect } from '@playwright/test';
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { tokenClient } from '../support/api-client';
import { useGalley } from './helpers';

type Outcome =
	| { kind: 'refused'; status: number; messages: number }
	| { kind: 'opened'; messages: number }
	| { kind: 'error'; error: string; messages: number };

/** Try to open the collaboration socket; report how the server answered and whether anything was received. */
function tryConnect(url: string, headers: Record<string, string> = {}): Promise<Outcome> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url, { headers });
		let messages = 0;
		ws.on('message', () => (messages += 1));
		ws.on('unexpected-response', (_req, res: IncomingMessage) => {
			res.resume();
			// Give a (wrongly) following frame a moment to arrive before concluding nothing was sent.
			setTimeout(() => {
				ws.terminate();
				resolve({ kind: 'refused', status: res.statusCode ?? 0, messages });
			}, 200);
		});
		ws.on('open', () => {
			// Wait for the server's first sync message, then hang up.
			const done = () => {
				ws.close();
				resolve({ kind: 'opened', messages });
			};
			if (messages > 0) done();
			else ws.once('message', () => setImmediate(done));
			setTimeout(done, 3000);
		});
		ws.on('error', (err) => resolve({ kind: 'error', error: String(err), messages }));
	});
}

test.describe('collaboration websocket access', () => {
	const galley = useGalley();
	let token: string;
	let socketUrl: string;

	test.beforeAll(async () => {
		token = (await tokenClient(galley.editorApi, 'websocket test')).token!;
		const pieceId = await galley.pieceViaApi('Not for strangers');
		socketUrl = `${galley.server.wsUrl}/${pieceId}`;
	});

	test('an upgrade without credentials is refused with 401 and receives nothing', async () => {
		expect(await tryConnect(socketUrl)).toEqual({ kind: 'refused', status: 401, messages: 0 });
		// Not even with the app's own Origin, which a browser would send.
		expect(await tryConnect(socketUrl, { origin: galley.url })).toEqual({ kind: 'refused', status: 401, messages: 0 });
	});

	test('an upgrade with a wrong token or a made-up session cookie is refused with 401', async () => {
		expect(await tryConnect(`${socketUrl}?token=glly_not-a-real-token`)).toEqual({ kind: 'refused', status: 401, messages: 0 });
		expect(await tryConnect(socketUrl, { cookie: 'galley_session=made-up' })).toEqual({ kind: 'refused', status: 401, messages: 0 });
	});

	test('an upgrade from a foreign Origin is refused with 403 even with a valid token or session', async () => {
		const foreign = { origin: 'http://evil.example' };
		expect(await tryConnect(`${socketUrl}?token=${token}`, foreign)).toEqual({ kind: 'refused', status: 403, messages: 0 });
		expect(await tryConnect(socketUrl, { ...foreign, authorization: `Bearer ${token}` })).toEqual({ kind: 'refused', status: 403, messages: 0 });
		expect(await tryConnect(socketUrl, { ...foreign, cookie: galley.editorApi.cookie! })).toEqual({ kind: 'refused', status: 403, messages: 0 });
	});

	test('control: the same credentials from the app’s own origin (or a script with no Origin) are let in', async () => {
		// Without this, the refusals above could come from a socket that refuses everyone.
		const withToken = await tryConnect(`${socketUrl}?token=${token}`);
		expect(withToken.kind).toBe('opened');
		expect(withToken.messages).toBeGreaterThan(0);
		const withCookie = await tryConnect(socketUrl, { origin: galley.url, cookie: galley.editorApi.cookie! });
		expect(withCookie.kind).toBe('opened');
	});

	test('an upgrade for a piece that does not exist is refused with 404', async () => {
		expect(await tryConnect(`${galley.server.wsUrl}/no-such-piece?token=${token}`)).toEqual({ kind: 'refused', status: 404, messages: 0 });
	});
});
