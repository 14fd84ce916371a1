import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { CLOSE, COLLAB_PATH, MESSAGE_DURABLE_ACK, MESSAGE_NOTICE, type CollabNotice } from '$lib/domain/collab';
import { EDITOR_SCHEMA_VERSION } from '$lib/editor/version';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'refused';
export type SaveStatus = 'saved' | 'saving' | 'offline-unsaved' | 'read-only';

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
	durable = $state(true);
	readOnly = $state(false);
	refusal = $state<string | null>(null);
	synced = $state(false);
	participants = $state<Participant[]>([]);
	private ackedStateVector = new Map<number, number>();
	/**
	 * The state vector of this browser's IndexedDB copy once it has loaded, or null before. See watchLocalCopy.
	 */
	private localCopy: Map<number, number> | null = null;

	constructor(pieceId: string, user: { name: string; color: string }) {
		this.local = new IndexeddbPersistence(`galley-piece-${pieceId}`, this.doc);
		this.watchLocalCopy();
		const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${COLLAB_PATH}`;
		this.provider = new WebsocketProvider(base, pieceId, this.doc, {
			params: { schema: String(EDITOR_SCHEMA_VERSION) },
			maxBackoffTime: 5000
		});
		this.provider.awareness.setLocalStateField('user', user);
		this.provider.messageHandlers[MESSAGE_DURABLE_ACK] = (_encoder, decoder) => {
			const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			this.ackedStateVector = sv;
			this.recomputeDurable();
		};
		this.provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
			const notice = JSON.parse(decoding.readVarString(decoder)) as CollabNotice;
			if (notice.type === 'read_only') this.readOnly = true;
		};
		this.provider.on('status', ({ status }: { status: string }) => {
			if (this.connection === 'refused') return;
			this.connection = status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
			if (status === 'connecting' || status === 'connected') this.readOnly = false;
		});
		this.provider.on('sync', (synced: boolean) => (this.synced = synced));
		this.provider.on('connection-close', (event: CloseEvent | null) => {
			if (!event) return;
			if (event.code === CLOSE.SCHEMA_OUTDATED) this.refuse('Galley was updated. Reload the page to keep editing.');
			else if (event.code === CLOSE.FORBIDDEN) this.refuse('Your access to this piece was withdrawn.');
		});
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== this.provider) this.recomputeDurable();
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

	private recomputeDurable() {
		const mine = Y.getState(this.doc.store, this.doc.clientID);
		this.durable = (this.ackedStateVector.get(this.doc.clientID) ?? 0) >= mine && this.localCopyDurable();
	}

	/**
	 * Edits kept in IndexedDB by an earlier page of this piece (typed offline, then the tab was reloaded or
	 * closed) come back under that page's Yjs client id, not ours, so "our clock is acked" says nothing
	 * about them. Once the local copy has loaded, remember its whole state vector; "Saved" then also needs
	 * the server's ack to cover it (whatever in it the server already had is covered by its first ack after connecting).
	 * Until the copy has loaded we cannot know what it holds, so we do not say "Saved" yet either.
	 */
	private watchLocalCopy() {
		this.recomputeDurable(); // not "Saved" before the copy has loaded
		this.local.whenSynced.then(() => {
			this.localCopy = Y.decodeStateVector(Y.encodeStateVector(this.doc));
			this.recomputeDurable();
		});
		// No IndexedDB (storage disabled): there is no local copy to wait for.
		this.local._db.catch(() => {
			this.localCopy ??= new Map();
			this.recomputeDurable();
		});
	}

	/** The server's durable ack covers everything the local copy held when it loaded. */
	private localCopyDurable(): boolean {
		if (!this.localCopy) return false;
		for (const [client, clock] of this.localCopy) {
			if ((this.ackedStateVector.get(client) ?? 0) < clock) return false;
		}
		return true;
	}

	get save(): SaveStatus {
		if (this.readOnly) return 'read-only';
		if (this.durable) return 'saved';
		return this.connection === 'connected' ? 'saving' : 'offline-unsaved';
	}

	destroy() {
		this.provider.destroy();
		this.local.destroy();
		this.doc.destroy();
	}
}
