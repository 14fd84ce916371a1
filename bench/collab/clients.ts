// Clients: the stock y-websocket client (for Galley and the reference server) and the Hocuspocus provider,
// behind one interface the phases drive.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import type { Json } from './common';

export interface BenchClient {
	doc: Y.Doc;
	synced: Promise<void>;
	isSynced(): boolean;
	closes: { code: number; reason: string }[];
	notices: string[];
	/** Galley's durable acks (message type 8). */
	onAck: ((sv: Map<number, number>) => void) | null;
	acks: number;
	/** performance.now() when the websocket first opened (upgrade accepted), or null. */
	openedAt: number | null;
	/** Set a field of this client's presence (awareness) state, as an editor's caret does. */
	setPresence(field: string, value: Json): void;
	/** How many awareness states (own included) this client knows. */
	presenceCount(): number;
	destroy(): void;
}

/**
 * Clients have no presence unless `presence` is set: their awareness state is null (set before the
 * socket opens, so nothing is sent). With presence, the stock y-websocket client re-sends every awareness
 * change it receives (including other clients' states), which Galley answers with close 1008; the
 * presence phase measures that on its own so the other phases measure documents, not reconnect storms.
 */
export function yWebsocketClient(serverUrl: string, room: string, params: Record<string, string>, galley: boolean, presence: boolean): BenchClient {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(serverUrl, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params,
		// In one Node process BroadcastChannel would sync clients without the server.
		disableBc: true,
		maxBackoffTime: 1000
	});
	if (!presence) provider.awareness.setLocalState(null);
	let synced = false;
	const client: BenchClient = {
		doc,
		synced: new Promise<void>((resolve) => {
			provider.on('sync', (s: boolean) => {
				if (s) {
					synced = true;
					resolve();
				}
			});
		}),
		isSynced: () => synced,
		closes: [],
		notices: [],
		onAck: null,
		acks: 0,
		openedAt: null,
		setPresence: (field, value) => provider.awareness.setLocalStateField(field, value),
		presenceCount: () => provider.awareness.getStates().size,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
	provider.on('status', (e: { status: string }) => {
		if (e.status === 'connected' && client.openedAt === null) client.openedAt = performance.now();
	});
	provider.on('connection-close', (event: { code?: number; reason?: string } | null) => {
		client.closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' });
	});
	if (galley) {
		provider.messageHandlers[8] = (_encoder, decoder) => {
			const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			client.acks++;
			client.onAck?.(sv);
		};
		provider.messageHandlers[9] = (_encoder, decoder) => {
			client.notices.push(decoding.readVarString(decoder));
		};
	}
	return client;
}

export function hocuspocusClient(url: string, name: string, presence: boolean): BenchClient {
	const doc = new Y.Doc();
	let synced = false;
	let resolveSynced: () => void = () => undefined;
	const client: BenchClient = {
		doc,
		synced: new Promise<void>((resolve) => (resolveSynced = resolve)),
		isSynced: () => synced,
		closes: [],
		notices: [],
		onAck: null,
		acks: 0,
		openedAt: null,
		setPresence: (field, value) => provider.setAwarenessField(field, value),
		presenceCount: () => provider.awareness?.getStates().size ?? 0,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
	const config = {
		url,
		name,
		document: doc,
		WebSocketPolyfill: WebSocket,
		onSynced: ({ state }: { state: boolean }) => {
			if (state) {
				synced = true;
				resolveSynced();
			}
		},
		onOpen: () => {
			if (client.openedAt === null) client.openedAt = performance.now();
		},
		onClose: ({ event }: { event: { code?: number; reason?: string } }) => {
			client.closes.push({ code: event?.code ?? -1, reason: String(event?.reason ?? '') });
		}
	};
	const provider = new HocuspocusProvider(config as unknown as HocuspocusProviderConfiguration);
	if (!presence) provider.awareness?.setLocalState(null);
	return client;
}
