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

		it('asks for the server’s copy as soon as it opens, and the provider’s identical step 1 is not sent again', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [{ name: 'galley-piece-other-piece' }];
			preconnect('/pieces/piece-4');
			const early = FakeSocket.made.at(-1)! as FakeSocket & { framesSent: number };
			early.open();
			await vi.waitFor(() => expect(bytes(early)).toEqual([[0, 0, 1, 0]]));
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-4?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			expect(taken).toBe(early);
			provider(taken);
			await Promise.resolve();
			expect(bytes(early)).toEqual([[0, 0, 1, 0]]);
			expect(early.framesSent).toBe(1); // what the server received: frame numbers still match its count
			taken.send(new Uint8Array([0, 1, 5])); // the provider's step 2 answering the server's step 1
			taken.send(new Uint8Array([0, 0, 1, 0])); // a later step 1 (a resync) is sent
			expect(bytes(early)).toEqual([[0, 0, 1, 0], [0, 1, 5], [0, 0, 1, 0]]);
			expect(early.framesSent).toBe(3);
		});

		it('sends a provider’s step 1 that is not the empty one (a copy from another tab arrived meanwhile)', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [];
			preconnect('/pieces/piece-5');
			const early = FakeSocket.made.at(-1)!;
			early.open();
			await vi.waitFor(() => expect(bytes(early)).toEqual([[0, 0, 1, 0]]));
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-5?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			taken.onmessage = taken.onclose = taken.onerror = () => {};
			taken.onopen = () => taken.send(new Uint8Array([0, 0, 3, 1, 9, 4]));
			await Promise.resolve();
			expect(bytes(early)).toEqual([[0, 0, 1, 0], [0, 0, 3, 1, 9, 4]]);
		});

		it('sends nothing itself when the browser holds a copy of the piece: the provider asks with its state', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [{ name: 'galley-piece-piece-6' }];
			preconnect('/pieces/piece-6');
			const early = FakeSocket.made.at(-1)!;
			early.open();
			await new Promise((r) => setTimeout(r, 0)); // databases() has answered
			expect(early.sent).toEqual([]);
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-6?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			provider(taken);
			await Promise.resolve();
			expect(bytes(early)).toEqual([[0, 0, 1, 0]]);
		});

		it('sends nothing itself once the provider has asked', async () => {
			const { preconnect, collabWebSocketClass, collabServerUrl } = socketModule;
			copies = [];
			preconnect('/pieces/piece-7');
			const early = FakeSocket.made.at(-1)!;
			const taken = new (collabWebSocketClass())(`${collabServerUrl()}/piece-7?schema=4`) as unknown as FakeSocket & Record<string, unknown>;
			provider(taken);
			early.open(); // the provider's handlers are set: its step 1 goes out before databases() has answered
			await new Promise((r) => setTimeout(r, 0));
			expect(bytes(early)).toEqual([[0, 0, 1, 0]]);
		});
	});

	it('opens nothing on other pages', () => {
		const before = FakeSocket.made.length;
		socketModule.preconnect('/pieces');
		socketModule.preconnect('/issues/abc');
		expect(FakeSocket.made.length).toBe(before);
	});
});
