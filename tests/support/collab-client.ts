// Collaboration clients for integration tests: the stock y-websocket provider (what the browser runs) and a
// raw `ws` socket for what a well-behaved provider never sends.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_DURABLE_ACK, MESSAGE_NOTICE, type CollabNotice } from '../../src/lib/domain/collab';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

/** A `ws` WebSocket class that sends extra headers (Authorization, Origin) with the upgrade request. */
export function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers });
		}
	} as typeof WebSocket;
}

/** A `ws` WebSocket class counting the frames it sends (message 8 says how many of them the server settled). */
function countingWebSocket(base: typeof WebSocket): typeof WebSocket {
	return class extends base {
		framesSent = 0;
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ws's send has two overloads
		override send(data: any, options?: any, cb?: any) {
			if (this.readyState === WebSocket.OPEN) this.framesSent++;
			super.send(data, options, cb);
		}
	} as typeof WebSocket;
}

export interface CollabClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** State vectors received in durable acks (message 8), oldest first. */
	acks: Map<number, number>[];
	notices: CollabNotice[];
	/** Close events of this client's sockets (code and reason), oldest first. */
	closes: { code: number; reason: string }[];
	/** Resolves once the first sync with the server completed. */
	synced: Promise<void>;
	/** The text of every paragraph of the body, in order. */
	paragraphs(): string[];
	/** Append a paragraph holding `text` to the body, as the editor would. */
	appendParagraph(text: string): void;
	/** Does some durable ack cover everything this client itself wrote so far? */
	ownEditsAcked(): boolean;
	/** Frames sent on the current socket so far (call right after an edit: the frame that carried it). */
	framesSent(): number;
	/** Frames of the current socket the server has settled, from the latest durable ack (0 before any). */
	settledFrames(): number;
	destroy(): void;
}

/**
 * Connect the stock y-websocket client to a piece. Authenticates with `?token=` by default, or with the
 * given headers (e.g. `{ authorization: 'Bearer …' }`). BroadcastChannel is off: in one Node process it
 * would sync two clients without the server. `presence: false` makes a client that sends no awareness
 * at all (no cursor, no echo).
 */
export function connectCollab(
	wsUrl: string,
	pieceId: string,
	auth: { token?: string; headers?: Record<string, string>; params?: Record<string, string> },
	opts: { presence?: boolean } = {}
): CollabClient {
	const doc = new Y.Doc();
	const params: Record<string, string> = { ...auth.params };
	if (auth.token) params.token = auth.token;
	const provider = new WebsocketProvider(wsUrl, pieceId, doc, {
		WebSocketPolyfill: countingWebSocket(auth.headers ? webSocketWithHeaders(auth.headers) : WebSocket) as unknown as typeof globalThis.WebSocket,
		params,
		disableBc: true,
		maxBackoffTime: 500
	});
	if (opts.presence === false) {
		// No state of its own, and no echo of others' states (the stock client re-sends every awareness
		// change it receives): a client that only edits the document.
		provider.awareness.setLocalState(null);
		stopAwarenessEcho(provider);
	}
	const acks: Map<number, number>[] = [];
	const notices: CollabNotice[] = [];
	const closes: { code: number; reason: string }[] = [];
	let settled = { socket: null as unknown, frames: 0 };
	provider.messageHandlers[MESSAGE_DURABLE_ACK] = (_encoder, decoder) => {
		acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
		settled = { socket: provider.ws, frames: decoding.readVarUint(decoder) };
	};
	provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
		notices.push(JSON.parse(decoding.readVarString(decoder)));
	};
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		provider.on('sync', (isSynced: boolean) => isSynced && resolve());
	});
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	return {
		doc,
		provider,
		acks,
		notices,
		closes,
		synced,
		paragraphs: () =>
			body
				.toArray()
				.filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')
				.map((p) => p.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('')),
		appendParagraph: (text: string) => appendParagraph(doc, text),
		ownEditsAcked() {
			const own = Y.getState(doc.store, doc.clientID);
			return acks.some((sv) => (sv.get(doc.clientID) ?? 0) >= own);
		},
		framesSent: () => (provider.ws as unknown as { framesSent?: number } | null)?.framesSent ?? 0,
		settledFrames: () => (settled.socket === provider.ws ? settled.frames : 0),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Stop the stock client from sending awareness updates (its own and its echo of everyone else's). */
export function stopAwarenessEcho(provider: WebsocketProvider): void {
	const handler = (provider as unknown as { _awarenessUpdateHandler: (...args: unknown[]) => void })._awarenessUpdateHandler;
	provider.awareness.off('update', handler);
}

export interface RawOutcome {
	/** HTTP status of a refused upgrade. */
	status: number | null;
	opened: boolean;
	messages: number;
	close: { code: number; reason: string } | null;
}

/** Open a plain websocket, optionally send frames once open, and report how it ended. */
export function rawSocket(url: string, headers: Record<string, string> = {}) {
	const ws = new WebSocket(url, { headers });
	const outcome: RawOutcome = { status: null, opened: false, messages: 0, close: null };
	ws.on('message', () => outcome.messages++);
	const ended = new Promise<RawOutcome>((resolve) => {
		ws.on('unexpected-response', (_req, res) => {
			outcome.status = res.statusCode ?? null;
			res.resume();
			ws.terminate();
			resolve(outcome);
		});
		ws.on('open', () => (outcome.opened = true));
		ws.on('close', (code, reason) => {
			outcome.close = { code, reason: reason.toString() };
			resolve(outcome);
		});
		ws.on('error', () => {
			/* reported through close / unexpected-response */
		});
	});
	/** Resolves with the first message (the socket is attached to its document); rejects if it ends first. */
	const firstMessage = new Promise<void>((resolve, reject) => {
		ws.once('message', () => resolve());
		void ended.then((o) => reject(new Error(`socket ended before any message: ${JSON.stringify(o)}`)));
	});
	firstMessage.catch(() => {});
	return { ws, outcome, firstMessage, ended };
}

/** Append a paragraph holding `text` to a document's body, as the editor would (one transaction). */
export function appendParagraph(doc: Y.Doc, text: string): void {
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(text)]);
	doc.getXmlFragment(BODY_FRAGMENT).push([paragraph]);
}
