// The piece page's collaboration socket: the WebSocket class the CollabSession's provider uses, and the one
// socket opened before the page's scripts have loaded (`preconnect`, from hooks.client.ts), which the
// session takes over. Kept free of Yjs and the editor so that the app's first script can import it.
import { COLLAB_PATH, HOLDS_NO_COPY_PARAM, MESSAGE_SYNC } from '$lib/domain/collab';
import { EDITOR_SCHEMA_VERSION } from '$lib/editor/version';
import { localCopyName } from './local-copies';

// y-protocols/sync's message types (not imported: that module brings Yjs)
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
/** A sync step 1 with the state vector of an empty document (`Y.encodeStateVector` of it is `[0]`). */
const EMPTY_STEP_1 = [MESSAGE_SYNC, SYNC_STEP_1, 1, 0] as const;

/**
 * The browser's WebSocket, counting the frames it sends: the server's durable ack says how many of them
 * are settled. It also remembers the latest frame that carried document content (a sync step 2 or an
 * update: message 0, sync message 1 or 2): that is the frame an edit waits for. Awareness frames (caret
 * moves) are counted too, but the server acknowledges nothing for them, so waiting for one would wait
 * for the 10 s keepalive. Made on first use: there is no WebSocket global when this module is evaluated
 * on the server.
 */
export type CountingWebSocket = WebSocket & {
	framesSent: number;
	lastContentFrame: number;
	/**
	 * The early socket's address asked for the server's copy with an empty state (see `preconnect`) and the
	 * provider has not asked yet: its own step 1, when it is that same empty one, is not sent again (the server would send
	 * the whole piece twice). Any other step 1 (a copy from another tab already in the document) is sent.
	 */
	earlyAskPending: boolean;
};
let countingWebSocket: (new (url: string | URL, protocols?: string | string[]) => CountingWebSocket) | null = null;
function countingWebSocketClass() {
	countingWebSocket ??= class extends WebSocket {
		framesSent = 0;
		lastContentFrame = 0;
		earlyAskPending = false;
		override send(data: Parameters<WebSocket['send']>[0]): void {
			const view = bytesOf(data);
			if (view && isSyncStep1(view)) {
				const repeat = this.earlyAskPending && isEmptyStep1(view);
				this.earlyAskPending = false;
				if (repeat) return; // not sent, so not counted: the server counts only what it receives
			}
			if (this.readyState === WebSocket.OPEN) {
				this.framesSent++;
				if (view && carriesContent(view)) this.lastContentFrame = this.framesSent;
			}
			super.send(data);
		}
	};
	return countingWebSocket;
}

/** y-websocket sends Uint8Arrays; an ArrayBuffer is read alike; anything else (a string) is no sync message. */
function bytesOf(data: Parameters<WebSocket['send']>[0]): Uint8Array | null {
	return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
}

/** A sync step 2 or an update. */
function carriesContent(view: Uint8Array): boolean {
	return view.length >= 2 && view[0] === MESSAGE_SYNC && (view[1] === SYNC_STEP_2 || view[1] === SYNC_UPDATE);
}

const isSyncStep1 = (view: Uint8Array) => view.length >= 2 && view[0] === MESSAGE_SYNC && view[1] === SYNC_STEP_1;
const isEmptyStep1 = (view: Uint8Array) => view.length === EMPTY_STEP_1.length && EMPTY_STEP_1.every((b, i) => view[i] === b);

/**
 * True when this browser holds no copy of the piece (no IndexedDB database of it): then the provider's sync
 * step 1 will carry an empty state, and the early socket may send that one itself. False when there is a
 * copy, or when it cannot be known (no IndexedDB, no `databases()`).
 */
async function holdsNoCopy(pieceId: string): Promise<boolean> {
	try {
		const name = localCopyName(pieceId);
		return !(await indexedDB.databases()).some((db) => db.name === name);
	} catch {
		return false;
	}
}

/** The socket's address for a piece, as y-websocket makes it from the session's options (see CollabSession). */
export const collabServerUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${COLLAB_PATH}`;
export const COLLAB_PARAMS = { schema: String(EDITOR_SCHEMA_VERSION) };
const socketUrl = (pieceId: string) => `${collabServerUrl()}/${pieceId}?schema=${encodeURIComponent(COLLAB_PARAMS.schema)}`;

type Handler = ((event: Event) => void) | null;
const EVENTS = ['open', 'message', 'error', 'close'] as const;
/** A socket opened early, its events held until a provider sets its handlers. */
let early: { url: string; socket: CountingWebSocket } | null = null;
/** An early socket nobody took (the piece did not open: refused, another page) is closed after this. */
const UNCLAIMED_MS = 15_000;

/**
 * Open the collaboration socket of the piece at `pathname` (`/pieces/<id>`) now, while the page's scripts
 * load: the connection, the server's checks and its loading of the piece happen meanwhile, and the session
 * takes this socket over (`collabWebSocketClass`). Events that arrive before it does are held and replayed
 * in order to the handlers it sets, its `open` included, on which the provider sends its sync step 1 (with
 * the state of this browser's copy). When this browser holds no copy of the piece (a first visit), that
 * step 1 is known already: the sync step 1 of an empty document. The socket's address then says so
 * (HOLDS_NO_COPY_PARAM), and the server sends the whole piece (its sync step 2) as soon as it has attached
 * the socket, without waiting for a frame: the piece travels while the page loads and hydrates, even when
 * the socket's `open` event waits behind the page's scripts on a busy main thread. The provider's own
 * identical step 1 is then not sent (`earlyAskPending`). With a copy, asking with an empty state would have
 * the server send the whole piece again on every visit: the provider asks. Whether there is a copy is
 * known a moment later (`indexedDB.databases()`): the socket is made then, unless the provider has made
 * its own meanwhile. Nothing for other paths.
 */
export function preconnect(pathname: string): void {
	const match = /^\/pieces\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
	if (!match || early || checking || typeof WebSocket === 'undefined') return;
	const url = socketUrl(match[1]);
	const check = (checking = { url });
	void holdsNoCopy(match[1]).then((none) => {
		if (checking !== check) return; // the provider made its own socket meanwhile
		checking = null;
		openEarly(url, none);
	});
}

/** The copy check of `preconnect` under way: a provider asking for this address meanwhile makes its own socket. */
let checking: { url: string } | null = null;

function openEarly(url: string, noCopy: boolean): void {
	let socket: CountingWebSocket;
	try {
		socket = new (countingWebSocketClass())(noCopy ? `${url}&${HOLDS_NO_COPY_PARAM[0]}=${HOLDS_NO_COPY_PARAM[1]}` : url);
	} catch {
		return;
	}
	socket.binaryType = 'arraybuffer';
	if (noCopy) {
		// the server answers the empty step 1 that the address stands for: not sent, so not counted
		socket.earlyAskPending = true;
	}
	const handlers: Record<string, Handler> = {};
	const held: Event[] = [];
	let flushing = false;
	const flush = () => {
		flushing = false;
		while (held.length) {
			const handler = handlers[held[0].type];
			if (!handler) return; // replayed once its handler is set
			handler.call(socket, held.shift()!);
		}
	};
	for (const type of EVENTS) {
		socket.addEventListener(type, (event) => {
			held.push(event);
			if (!flushing) flush();
		});
		Object.defineProperty(socket, `on${type}`, {
			configurable: true,
			get: () => null, // the handler is called from the listener above, never by the socket itself
			set: (handler: Handler) => {
				handlers[type] = handler;
				if (held.length && !flushing) {
					flushing = true;
					queueMicrotask(flush); // once the provider has set all of them
				}
			}
		});
	}
	early = { url, socket };
	setTimeout(() => {
		if (early?.socket !== socket) return;
		early = null;
		socket.close();
	}, UNCLAIMED_MS);
}

/**
 * The WebSocket class for the session's provider: the early socket when it was opened for the same
 * address and is not closed, else a new counting socket.
 */
export function collabWebSocketClass(): typeof WebSocket {
	const Counting = countingWebSocketClass();
	return function CollabWebSocket(url: string | URL, protocols?: string | string[]) {
		if (checking?.url === String(url)) checking = null; // no early socket after all: this one is the session's
		const taken = early;
		if (taken && taken.url === String(url) && taken.socket.readyState <= WebSocket.OPEN) {
			early = null;
			return taken.socket;
		}
		return new Counting(url, protocols);
	} as unknown as typeof WebSocket;
}
