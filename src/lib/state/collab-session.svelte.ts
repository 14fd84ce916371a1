import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { CLOSE, MESSAGE_DURABLE_ACK, MESSAGE_NOTICE, type CollabNotice, type LivePiece } from '$lib/domain/collab';
import { COLLAB_PARAMS, collabServerUrl, collabWebSocketClass, type CountingWebSocket } from './collab-socket';
import { localCopyName, trackLocalCopy } from './local-copies';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'refused';
export type SaveStatus = 'loading' | 'saved' | 'saving' | 'offline-unsaved' | 'read-only';

export interface Participant {
	clientId: number;
	name: string;
	color: string;
	self: boolean;
}

/**
 * One piece's live collaboration in the browser: the Yjs document, the websocket provider, the local
 * IndexedDB copy that keeps unsaved edits across reloads, and the status the editor shows.
 * Created per page (never a module-level singleton).
 */
export class CollabSession {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly local: IndexeddbPersistence;
	connection = $state<ConnectionStatus>('connecting');
	/** Everything we typed is covered by the server's durable ack. */
	durable = $state(false);
	readOnly = $state(false);
	refusal = $state<string | null>(null);
	/** The connection was closed because this person signed out (in another tab or window): the page offers to sign in again. */
	signedOut = $state(false);
	/** The piece as the server last told this page (the `piece` notice): title, state, moves, lock, authors. */
	piece = $state<LivePiece | null>(null);
	/** Why the server cannot serve the piece just now (close 4503: it could not load it), until the page syncs. */
	unavailable = $state<string | null>(null);
	/**
	 * The page holds the piece: the server's copy has arrived (its sync step 2), or this browser's own copy
	 * loaded from IndexedDB with content in it (made from the server's copy on an earlier visit, perhaps with
	 * unsent edits; or another open tab of this browser sent its copy over BroadcastChannel). Before that the
	 * document is empty, and text typed into it would land beside the piece's real content instead of in it:
	 * the editor stays read-only and the status says "Loading…".
	 */
	pieceLoaded = $state(false);
	/** The server's sync step 2 has arrived at least once on this page: "Saved" means nothing before it. */
	private serverCopyReceived = false;
	participants = $state<Participant[]>([]);
	private ackedStateVector = new Map<number, number>();
	/** Frames of the current socket that the server has settled (committed, or needing no commit). */
	private settledFrames = 0;
	/** The frame on the current socket that carried our latest edit; null when none is waiting. */
	private waitingForFrame: number | null = null;
	/**
	 * Edits exist that were not sent on the current socket (made offline, on a socket that closed before
	 * its ack, or loaded from IndexedDB, where an earlier tab may have left unsaved work): they travel in
	 * our sync step 2 once connected, and are saved when the server has settled that frame.
	 */
	private unsentEdits = false;
	/** The IndexedDB copy has loaded (or there is none): before that we cannot know what it holds. */
	private localCopyLoaded = false;

	/** Why the server refused an edit of ours as a whole (outside our sections), until the page resynced. */
	rejected = $state<string | null>(null);
	/** Called when the server refused an edit and asks for a resync: the page replaces this session (see discard). */
	onResync: (() => void) | null = null;

	/** Stops signing out from counting this page's edits. */
	private untrack: () => void;

	readonly pieceId: string;

	constructor(pieceId: string, user: { name: string; color: string }) {
		this.pieceId = pieceId;
		this.local = new IndexeddbPersistence(localCopyName(pieceId), this.doc);
		this.untrack = trackLocalCopy(this);
		this.watchLocalCopy();
		// the socket opened while the page loaded (hooks.client.ts), when there is one: see collab-socket.ts
		this.provider = new WebsocketProvider(collabServerUrl(), pieceId, this.doc, {
			params: { ...COLLAB_PARAMS },
			maxBackoffTime: 5000,
			WebSocketPolyfill: collabWebSocketClass()
		});
		this.provider.awareness.setLocalStateField('user', user);
		this.provider.messageHandlers[MESSAGE_DURABLE_ACK] = (_encoder, decoder) => {
			this.ackedStateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			if (decoding.hasContent(decoder)) this.settledFrames = decoding.readVarUint(decoder);
			this.recomputeDurable();
		};
		this.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
			const notice = JSON.parse(decoding.readVarString(decoder)) as CollabNotice;
			if (notice.type === 'read_only') this.readOnly = true;
			if (notice.type === 'piece') this.piece = notice.piece;
			if (notice.type === 'presence') {
				// show ourselves in the colour the others see us in
				this.provider.awareness.setLocalStateField('user', { ...user, color: notice.color });
			}
			if (notice.type === 'update_rejected' && notice.resync) {
				// refused as a whole (outside our sections): our copy holds what the server never will, and every
				// later edit would depend on it; the page drops this copy and opens the piece afresh
				this.rejected = notice.reason;
				this.onResync?.();
			} else if (notice.type === 'update_rejected') {
				// our edit was refused (read-only): it is not saved; a later connection with the right to edit re-sends it
				this.unsentEdits = true;
				this.recomputeDurable();
			}
		};
		this.provider.on('status', ({ status }: { status: string }) => {
			if (this.connection === 'refused') return;
			this.connection = status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
			if (status === 'connecting' || status === 'connected') this.readOnly = false;
			if (status !== 'connected') {
				// frame numbers belong to one socket: what was waiting is re-sent in the next sync step 2
				if (this.waitingForFrame !== null) this.unsentEdits = true;
				this.waitingForFrame = null;
				this.settledFrames = 0;
				this.recomputeDurable();
			}
		});
		this.provider.on('sync', (synced: boolean) => {
			// Our sync step 2 (everything the server lacked) went out before the server's step 2 arrived. Wait
			// for that frame after every sync, not only when we know of unsent edits: the server settles it
			// once everything it held at that moment is stored, which covers edits it has from an earlier page
			// of ours (restored from IndexedDB, perhaps after this sync) but has not stored yet.
			if (synced) {
				this.unavailable = null;
				this.serverCopyReceived = true;
				this.pieceLoaded = true;
				this.unsentEdits = false;
				this.waitingForFrame = this.lastContentFrame();
				this.recomputeDurable();
			}
		});
		this.provider.on('connection-close', (event: CloseEvent | null) => {
			if (!event) return;
			if (event.code === CLOSE.SCHEMA_OUTDATED) this.refuse('Galley was updated. Reload the page to keep editing.');
			else if (event.code === CLOSE.SIGNED_OUT) {
				this.signedOut = true;
				this.refuse('You signed out of Galley (in another tab or window), so this page stopped editing.');
			} else if (event.code === CLOSE.FORBIDDEN) this.refuse('Your access to this piece was withdrawn.');
			else if (event.code === CLOSE.UNAVAILABLE) {
				// the provider reconnects by itself; what is typed meanwhile is kept in IndexedDB and sent then
				this.unavailable = 'The server could not load this piece just now (its database may be unreachable). Trying again…';
			}
		});
		// Registered after the provider's own handler, which has just sent the update if it could.
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin === this.provider) {
				// with no socket, the provider's updates come from another tab of this browser (BroadcastChannel),
				// which answers our sync with its whole copy
				if (!this.provider.wsconnected) this.pieceLoaded = true;
				return;
			}
			if (origin === this.local) this.pieceLoaded = true; // this browser's copy, made from the server's
			if (this.provider.synced && this.provider.ws?.readyState === WebSocket.OPEN) this.waitingForFrame = this.lastContentFrame();
			else this.unsentEdits = true;
			this.recomputeDurable();
		});
		const onAwareness = () => {
			const states = this.provider.awareness.getStates();
			this.participants = [...states.entries()]
				.filter(([, s]) => s?.user)
				.map(([clientId, s]) => ({
					clientId,
					name: String(s.user.name ?? 'Someone'),
					color: String(s.user.color ?? '#555'),
					self: clientId === this.doc.clientID
				}));
		};
		this.provider.awareness.on('change', onAwareness);
		onAwareness();
	}

	private refuse(message: string) {
		this.refusal = message;
		this.connection = 'refused';
		this.provider.disconnect();
	}

	/** The number of the latest frame on the current socket that carried our sync step 2 or an update. */
	private lastContentFrame(): number {
		return (this.provider.ws as CountingWebSocket | null)?.lastContentFrame ?? 0;
	}

	/**
	 * Saved means: the server's copy has arrived, the ack's state vector covers our own clock, and the server
	 * has settled the frame that carried our latest edit (which also covers deletions, invisible to the state
	 * vector). The server sends its first ack before its sync step 2 (which answers ours), and an ack
	 * covers clock 0 of a page that has typed nothing: without the first condition, such a page would say
	 * "Saved" while still showing an empty document.
	 */
	private recomputeDurable() {
		const mine = Y.getState(this.doc.store, this.doc.clientID);
		const clockCovered = (this.ackedStateVector.get(this.doc.clientID) ?? 0) >= mine;
		if (this.waitingForFrame !== null && this.settledFrames >= this.waitingForFrame) this.waitingForFrame = null;
		this.durable = this.serverCopyReceived && this.localCopyLoaded && clockCovered && this.waitingForFrame === null && !this.unsentEdits;
	}

	/**
	 * Edits kept in IndexedDB by an earlier page of this piece (typed offline, then the tab was reloaded or
	 * closed) come back under that page's Yjs client id, not ours, so "our clock is acked" says nothing
	 * about them. Loading them is a local change like any other (see the update handler): it marks them
	 * unsent until the server settles our sync step 2. Until the copy has loaded we do not say "Saved".
	 */
	private watchLocalCopy() {
		this.recomputeDurable();
		const loaded = () => {
			if (this.localCopyLoaded) return;
			this.localCopyLoaded = true;
			this.recomputeDurable();
		};
		this.local.whenSynced.then(loaded);
		// No IndexedDB (storage disabled): there is no local copy to wait for.
		this.local._db.catch(loaded);
		// IndexedDB can also hang (another tab blocking it): stop waiting after a few seconds. Should the copy
		// load later, what it brings is a local change and makes the status "not saved" until acknowledged.
		setTimeout(loaded, 5_000);
	}

	get save(): SaveStatus {
		if (this.readOnly) return 'read-only';
		if (this.durable) return 'saved';
		if (!this.pieceLoaded && this.connection !== 'refused') return 'loading';
		return this.connection === 'connected' ? 'saving' : 'offline-unsaved';
	}

	/** Edits on this page (or loaded from its IndexedDB copy) that the server has not acknowledged yet. */
	get hasUnsavedEdits(): boolean {
		return !this.durable && (this.waitingForFrame !== null || this.unsentEdits);
	}

	/**
	 * Close this session and delete the browser's copy of the piece (IndexedDB), which holds an edit the server
	 * refused: a new session then starts from the server's copy alone.
	 */
	async discard(): Promise<void> {
		this.onResync = null;
		this.untrack();
		this.provider.destroy();
		try {
			await this.local.clearData();
		} catch {
			/* no IndexedDB: nothing kept */
		}
		this.doc.destroy();
	}

	destroy() {
		this.untrack();
		this.provider.destroy();
		this.local.destroy();
		this.doc.destroy();
	}
}
