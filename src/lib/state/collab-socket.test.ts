// @vitest-environment happy-dom
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The socket a piece page opens before its scripts load (collab-socket.ts), handed to the session's provider.

class FakeSocket extends EventTarget {
	static CONNECTING = 0;
	static OPEN = 1;
	static CLOSING = 2;
	static CLOSED = 3;
	static made: FakeSocket[] = [];
	readyState = 0;
	binaryType = 'blob';
	sent: Uint8Array[] = [];
	constructor(readonly url: string) {
		super();
		FakeSocket.made.push(this);
	}
	send(data: Uint8Array) {
		this.sent.push(data);
	}
	close() {
		this.readyState = 3;
	}
	/** The server's side: the socket opens, then messages arrive. */
	open() {
		this.readyState = 1;
		this.dispatchEvent(new Event('open'));
	}
	receive(byte: number) {
		this.dispatchEvent(new MessageEvent('message', { data: new Uint8Array([byte]).buffer }));
	}
}

let socketModule: typeof import('./collab-socket');
beforeAll(async () => {
	vi.stubGlobal('WebSocket', FakeSocket);
	socketModule = await import('./collab-socket');
});

describe('the early collaboration socket (collab-socket.ts)', () => {
	it('sends nothing itself, holds what arrives, and replays it in order to the handlers the provider sets', async () => {
		const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
		preconnect('/pieces/piece-1');
		const early = FakeSocket.made.at(-1)!;
		expect(early.url).toBe(`${collabServerUrl()}/piece-1?schema=4`);
		early.open();
		expect(early.sent).toEqual([]); // the provider sends its sync step 1 once it has the socket
		early.receive(7);
		early.receive(8);

		const Socket = collabWebSocketClass();
		const taken = new Socket(`${collabServerUrl()}/piece-1?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
		expect(taken).toBe(early);
		const seen: string[] = [];
		taken.onmessage = (e: MessageEvent) => seen.push(`message ${new Uint8Array(e.data)[0]}`);
		taken.onopen = () => seen.push('open');
		taken.onclose = () => seen.push('close');
		taken.onerror = () => seen.push('error');
		expect(seen).toEqual([]); // replayed once every handler is set
		await Promise.resolve();
		expect(seen).toEqual(['open', 'message 7', 'message 8']);
		early.receive(9);
		expect(seen).toEqual(['open', 'message 7', 'message 8', 'message 9']);
	});

	it('gives a session of another piece, or a second session, a socket of its own', () => {
		const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
		preconnect('/pieces/piece-2');
		const early = FakeSocket.made.at(-1)!;
		const Socket = collabWebSocketClass();
		const other = new Socket(`${collabServerUrl()}/piece-3?schema=4`) as unknown as FakeSocket;
		expect(other).not.toBe(early);
		expect(new Socket(`${collabServerUrl()}/piece-2?schema=4`)).toBe(early);
		expect(new Socket(`${collabServerUrl()}/piece-2?schema=4`)).not.toBe(early);
	});

	it('opens nothing on other pages', () => {
		const before = FakeSocket.made.length;
		socketModule.preconnect('/pieces');
		socketModule.preconnect('/issues/abc');
		expect(FakeSocket.made.length).toBe(before);
	});
});
