// Shared pieces of the collaboration-promise tests (durability, database outage, fuzz, scale-out): an editor
// with a token and a fresh piece, a stock y-websocket provider on a Y.Doc that outlives its providers, and
// the text of a piece as the content API renders it.
import WebSocket from 'ws';
import { afterAll, beforeAll } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_DURABLE_ACK } from '../../src/lib/domain/collab';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { TestClient, setUpEditor, tokenClient } from './api-client';
import { startGalley, type DatabaseKind, type GalleyTestDatabase } from './galley-server';
import { freshTestDatabase, serverEnv } from './test-database';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';

/** Every text of a stored state's body, in order (what a reader sees). */
export function bodyText(update: Uint8Array | null): string {
	const doc = new Y.Doc();
	if (update) Y.applyUpdate(doc, update);
	const text = doc.getXmlFragment(BODY_FRAGMENT).toString();
	doc.destroy();
	return text;
}

/**
 * A fresh database holding one real piece (made through the API of a Galley started for it, then
 * stopped), and a handle on that database for code under test in this process.
 */
export async function storedPiece(kind: DatabaseKind): Promise<{ database: GalleyTestDatabase; handle: DatabaseHandle; pieceId: string }> {
	const database = await freshTestDatabase(kind);
	const galley = await startGalley(serverEnv(database));
	const { pieceId } = await editorWithPiece(galley.url);
	const code = await galley.stop();
	if (code !== 0) throw new Error(`the Galley that made the piece exited with ${code}`);
	const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
	return { database, handle, pieceId };
}

/**
 * `storedPiece` for the tests of one describe block: made before them, its handle closed and its database
 * dropped after them. The fields are there once the block's first test runs.
 */
export function useStoredPiece(kind: DatabaseKind): { readonly database: GalleyTestDatabase; readonly handle: DatabaseHandle; readonly pieceId: string } {
	const piece = {} as { database: GalleyTestDatabase; handle: DatabaseHandle; pieceId: string };
	beforeAll(async () => {
		Object.assign(piece, await storedPiece(kind));
	}, 120_000);
	afterAll(async () => {
		await piece.handle?.close();
		await piece.database?.drop();
	});
	return piece;
}

/** Set up the first account on a fresh server; return its API token and a fresh piece. */
export async function editorWithPiece(base: string, kind = 'brief'): Promise<{ token: string; pieceId: string; api: TestClient }> {
	const editor = await setUpEditor(base);
	const api = await tokenClient(editor, 'collab promise tests');
	const created = await api.post('/api/pieces', { kind, title: `Piece for ${kind} tests` });
	if (created.status !== 201) throw new Error(`creating a piece failed: ${created.status} ${created.text}`);
	return { token: api.token!, pieceId: created.json.piece.id, api };
}

/** Another piece for an existing token. */
export async function newPiece(base: string, token: string, kind = 'brief'): Promise<string> {
	const api = new TestClient(base);
	api.token = token;
	const created = await api.post('/api/pieces', { kind, title: `Another ${kind}` });
	if (created.status !== 201) throw new Error(`creating a piece failed: ${created.status} ${created.text}`);
	return created.json.piece.id;
}

/** Every text leaf of the piece's content (`?format=json`), concatenated. Reads the database when the piece is not open. */
export async function contentText(base: string, token: string, pieceId: string): Promise<string> {
	const api = new TestClient(base);
	api.token = token;
	const res = await api.get(`/api/pieces/${pieceId}/content?format=json`);
	if (res.status !== 200) throw new Error(`content: ${res.status} ${res.text}`);
	const parts: string[] = [];
	const walk = (node: unknown) => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (node && typeof node === 'object') {
			const n = node as Record<string, unknown>;
			if (typeof n.text === 'string') parts.push(n.text);
			for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
		}
	};
	walk(res.json);
	return parts.join('');
}

/** How often each `[<tag><n>]` marker occurs in `text`. */
export function markerCounts(text: string, tag: string): Map<number, number> {
	const counts = new Map<number, number>();
	for (const m of text.matchAll(new RegExp(`\\[${tag}(\\d+)\\]`, 'g'))) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
	return counts;
}

/** Markers 0..n-1 that are missing, and those present more than once. */
export function lostAndDuplicated(counts: Map<number, number>, indexes: Iterable<number>): { lost: number[]; duplicated: number[] } {
	const lost: number[] = [];
	const duplicated: number[] = [];
	for (const i of indexes) {
		const c = counts.get(i) ?? 0;
		if (c === 0) lost.push(i);
		if (c > 1) duplicated.push(i);
	}
	return { lost, duplicated };
}

/**
 * A stock WebsocketProvider on an existing doc (the doc outlives providers across server restarts), with
 * no presence and no BroadcastChannel; every durable ack's state vector is passed to `onAck`.
 */
export function stockProvider(wsUrl: string, pieceId: string, doc: Y.Doc, token: string, onAck: (sv: Map<number, number>) => void, opts: { presence?: boolean } = {}): WebsocketProvider {
	const provider = new WebsocketProvider(wsUrl, pieceId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: { token },
		disableBc: true,
		maxBackoffTime: 500
	});
	if (opts.presence !== true) {
		provider.awareness.setLocalState(null);
		const handler = (provider as unknown as { _awarenessUpdateHandler: (...args: unknown[]) => void })._awarenessUpdateHandler;
		provider.awareness.off('update', handler);
	}
	provider.messageHandlers[MESSAGE_DURABLE_ACK] = (_encoder, decoder) => {
		onAck(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
	};
	return provider;
}

/** A paragraph (first in the body) whose Y.XmlText receives appended markers. */
export function markerParagraph(doc: Y.Doc): Y.XmlText {
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	const paragraph = new Y.XmlElement('paragraph');
	const text = new Y.XmlText('');
	paragraph.insert(0, [text]);
	body.insert(0, [paragraph]);
	return text;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
