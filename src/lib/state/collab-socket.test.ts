// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

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
// Unit files share their worker's globals (no isolation, vite.config.ts): leave WebSocket as it was.
afterAll(() => vi.unstubAllGlobals());

/** The socket `preconnect` makes once it knows whether the browser holds a copy of the piece (a moment later). */
async function earlySocket(before: number): Promise<FakeSocket & { framesSent: number }> {
	await vi.waitFor(() => expect(FakeSocket.made.length).toBe(before + 1));
	return FakeSocket.made.at(-1)! as FakeSocket & { framesSent: number };
}

describe('the early collaboration socket (collab-socket.ts)', () => {
	it('sends nothing itself, holds what arrives, and replays it in order to the handlers the provider sets', async () => {
		const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
		preconnect('/pieces/piece-1');
		const early = await earlySocket(FakeSocket.made.length);
		expect(early.url).toBe(`${collabServerUrl()}/piece-1?schema=4`); // no IndexedDB here: a copy cannot be ruled out
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

	it('gives a session of another piece, or a second session, a socket of its own', async () => {
		const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
		preconnect('/pieces/piece-2');
		const early = await earlySocket(FakeSocket.made.length);
		const Socket = collabWebSocketClass();
		const other = new Socket(`${collabServerUrl()}/piece-3?schema=4`) as unknown as FakeSocket;
		expect(other).not.toBe(early);
		expect(new Socket(`${collabServerUrl()}/piece-2?schema=4`)).toBe(early);
		expect(new Socket(`${collabServerUrl()}/piece-2?schema=4`)).not.toBe(early);
	});

	describe('on a first visit (no copy of the piece in IndexedDB)', () => {
		let copies: { name: string }[] = [];
		beforeAll(() => {
			vi.stubGlobal('indexedDB', { databases: async () => copies });
		});
		afterAll(() => {
			vi.unstubAllGlobals();
			vi.stubGlobal('WebSocket', FakeSocket);
		});
		const bytes = (socket: FakeSocket) => socket.sent.map((d) => [...d]);
		const provider = (socket: FakeSocket & Record<string, unknown>) => {
			socket.onmessage = () => {};
			socket.onclose = () => {};
			socket.onerror = () => {};
			socket.onopen = () => socket.send(new Uint8Array([0, 0, 1, 0])); // y-websocket's step 1 of an empty document
		};

		it('asks for the server’s copy in its address, sends no step 1, and the provider’s identical step 1 is not sent', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [{ name: 'galley-piece-other-piece' }];
			preconnect('/pieces/piece-4');
			const early = await earlySocket(FakeSocket.made.length);
			expect(early.url).toBe(`${collabServerUrl()}/piece-4?schema=4&copy=none`);
			early.open();
			expect(bytes(early)).toEqual([]); // the server sends the piece unasked
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-4?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			expect(taken).toBe(early);
			provider(taken);
			await Promise.resolve();
			expect(bytes(early)).toEqual([]);
			expect(early.framesSent).toBe(0); // what the server received: frame numbers still match its count
			taken.send(new Uint8Array([0, 1, 5])); // the provider's step 2 answering the server's step 1
			taken.send(new Uint8Array([0, 0, 1, 0])); // a later step 1 (a resync) is sent
			expect(bytes(early)).toEqual([[0, 1, 5], [0, 0, 1, 0]]);
			expect(early.framesSent).toBe(2);
		});

		it('sends a provider’s step 1 that is not the empty one (a copy from another tab arrived meanwhile)', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [];
			preconnect('/pieces/piece-5');
			const early = await earlySocket(FakeSocket.made.length);
			early.open();
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-5?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			expect(taken).toBe(early);
			taken.onmessage = taken.onclose = taken.onerror = () => {};
			taken.onopen = () => taken.send(new Uint8Array([0, 0, 3, 1, 9, 4]));
			await Promise.resolve();
			expect(bytes(early)).toEqual([[0, 0, 3, 1, 9, 4]]);
		});

		it('does not ask in its address when the browser holds a copy of the piece: the provider asks with its state', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [{ name: 'galley-piece-piece-6' }];
			preconnect('/pieces/piece-6');
			const early = await earlySocket(FakeSocket.made.length);
			expect(early.url).toBe(`${collabServerUrl()}/piece-6?schema=4`);
			early.open();
			expect(early.sent).toEqual([]);
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-6?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			expect(taken).toBe(early);
			provider(taken);
			await Promise.resolve();
			expect(bytes(early)).toEqual([[0, 0, 1, 0]]);
		});

		it('makes no socket once the provider has made its own while the copy was being looked for', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [];
			const before = FakeSocket.made.length;
			preconnect('/pieces/piece-7');
			const own = new (collabWebSocketClass())(`${collabServerUrl()}/piece-7?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			expect(FakeSocket.made).toEqual([...FakeSocket.made.slice(0, before), own]);
			provider(own);
			own.open();
			await new Promise((r) => setTimeout(r, 0)); // databases() has answered
			expect(FakeSocket.made.length).toBe(before + 1);
			expect(bytes(own)).toEqual([[0, 0, 1, 0]]);
		});
	});

	it('opens nothing on other pages', async () => {
		const before = FakeSocket.made.length;
		socketModule.preconnect('/pieces');
		socketModule.preconnect('/issues/abc');
		await new Promise((r) => setTimeout(r, 0));
		expect(FakeSocket.made.length).toBe(before);
	});
});
