import { Redis } from 'ioredis';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentPeer, LiveDocument } from './documents';
import type { Logger } from '../log';

// Relay between Galley processes serving the same documents (only when REDIS_URL is set).
// One Redis pub/sub channel per piece. A message: 1 byte kind, 16 bytes sender id, payload.
// Each process persists only the updates its own clients sent, so every update is stored exactly once;
// it tells the others what it made durable (ACK) so their clients' status is right too.
const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const KIND_ACK = 2;
/** "Send me what I lack": payload is the asker's state vector; every other process answers with an UPDATE. */
const KIND_SYNC_REQUEST = 3;
/** Rights to the piece changed: every process re-checks its connections. */
const KIND_RIGHTS = 4;
/** The piece's details (title, kind, authors, bios) changed: every process sends its connections the `piece` notice. */
const KIND_PIECE = 5;

const channelFor = (pieceId: string) => `galley:piece:${pieceId}`;
/** One channel for all processes: a sign-in (session or API token) was revoked; payload is its credential key. */
const CREDENTIALS_CHANNEL = 'galley:credentials-revoked';
/** On the same channel, a payload `account:<userId>`: that person's role changed (their connections reconnect). */
const ACCOUNT_CHANGED = 'account:';
/** On the same channel, a payload `signed-out:<credential>`: revoked because its person signed out. */
const SIGNED_OUT = 'signed-out:';

class RelayPeer implements DocumentPeer {
	readonly remote = true;
	constructor(
		private relay: CollabRelay,
		private live: LiveDocument
	) {}
	sendUpdate(update: Uint8Array) {
		this.relay.publish(this.live.pieceId, KIND_UPDATE, update);
	}
	sendAwareness(update: Uint8Array) {
		this.relay.publish(this.live.pieceId, KIND_AWARENESS, update);
	}
	durableAdvanced(stateVector: Uint8Array) {
		this.relay.publish(this.live.pieceId, KIND_ACK, stateVector);
	}
}

export class CollabRelay {
	private pub: Redis;
	private sub: Redis;
	private readonly id = crypto.getRandomValues(new Uint8Array(16));
	private attached = new Map<string, { live: LiveDocument; peer: RelayPeer }>();

	/** Called when another process says rights to a piece changed. */
	onRightsChanged: (pieceId: string) => void = () => {};
	/** Called when another process says a piece's details changed. */
	onPieceChanged: (pieceId: string) => void = () => {};
	/** Called when another process says a credential was revoked (`signedOut`: its person signed out). */
	onCredentialRevoked: (credential: string, signedOut: boolean) => void = () => {};
	/** Called when another process says a person's account changed. */
	onAccountChanged: (userId: string) => void = () => {};

	constructor(
		url: string,
		private log: Logger
	) {
		const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false };
		this.pub = new Redis(url, options);
		this.sub = new Redis(url, options);
		for (const client of [this.pub, this.sub]) {
			client.on('error', (err) => this.log.warn({ err }, 'redis error'));
		}
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
		this.subscribed = this.sub.subscribe(CREDENTIALS_CHANNEL).then(
			() => undefined,
			(err: unknown) => this.log.warn({ err }, 'redis subscribe failed')
		);
	}

	private subscribed: Promise<void>;

	/** Wait until both connections are ready (start-up). */
	async ready(): Promise<void> {
		await Promise.all([this.pub.ping(), this.subscribed]);
	}

	/** Join a document's channel and ask the other processes for anything this one lacks. */
	async attach(live: LiveDocument): Promise<void> {
		const peer = new RelayPeer(this, live);
		this.attached.set(live.pieceId, { live, peer });
		live.peers.add(peer);
		await this.sub.subscribe(channelFor(live.pieceId));
		this.publish(live.pieceId, KIND_SYNC_REQUEST, Y.encodeStateVector(live.doc));
	}

	async detach(live: LiveDocument): Promise<void> {
		const entry = this.attached.get(live.pieceId);
		if (!entry || entry.live !== live) return;
		this.attached.delete(live.pieceId);
		live.peers.delete(entry.peer);
		await this.sub.unsubscribe(channelFor(live.pieceId)).catch(() => {});
	}

	/**
	 * Published whether or not the piece is open here: a change made through the API on a process where
	 * nobody has the piece open must still reach the pages open on the others.
	 */
	announceRightsChanged(pieceId: string): void {
		this.publish(pieceId, KIND_RIGHTS, new Uint8Array(0));
	}

	announcePieceChanged(pieceId: string): void {
		this.publish(pieceId, KIND_PIECE, new Uint8Array(0));
	}

	announceCredentialRevoked(credential: string, signedOut = false): void {
		const payload = (signedOut ? SIGNED_OUT : '') + credential;
		this.pub.publish(CREDENTIALS_CHANNEL, Buffer.concat([Buffer.from(this.id), Buffer.from(payload)])).catch((err: unknown) => this.log.warn({ err }, 'redis publish failed'));
	}

	announceAccountChanged(userId: string): void {
		this.announceCredentialRevoked(ACCOUNT_CHANGED + userId);
	}

	publish(pieceId: string, kind: number, payload: Uint8Array): void {
		const message = Buffer.allocUnsafe(17 + payload.length);
		message[0] = kind;
		message.set(this.id, 1);
		message.set(payload, 17);
		this.pub.publish(channelFor(pieceId), message).catch((err: unknown) => this.log.warn({ err }, 'redis publish failed'));
	}

	private receive(channel: string, message: Buffer): void {
		if (channel === CREDENTIALS_CHANNEL) {
			if (message.length > 16 && Buffer.compare(message.subarray(0, 16), Buffer.from(this.id)) !== 0) {
				const payload = message.subarray(16).toString();
				if (payload.startsWith(ACCOUNT_CHANGED)) this.onAccountChanged(payload.slice(ACCOUNT_CHANGED.length));
				else if (payload.startsWith(SIGNED_OUT)) this.onCredentialRevoked(payload.slice(SIGNED_OUT.length), true);
				else this.onCredentialRevoked(payload, false);
			}
			return;
		}
		if (message.length < 17) return;
		if (Buffer.compare(message.subarray(1, 17), Buffer.from(this.id)) === 0) return; // our own
		const pieceId = channel.slice('galley:piece:'.length);
		const entry = this.attached.get(pieceId);
		if (!entry) return;
		const { live, peer } = entry;
		const payload = new Uint8Array(message.buffer, message.byteOffset + 17, message.length - 17);
		try {
			switch (message[0]) {
				case KIND_UPDATE:
					Y.applyUpdate(live.doc, payload, peer);
					break;
				case KIND_AWARENESS:
					awarenessProtocol.applyAwarenessUpdate(live.awareness, payload, peer);
					break;
				case KIND_ACK:
					live.markDurable(payload, 0, peer);
					break;
				case KIND_RIGHTS:
					this.onRightsChanged(pieceId);
					break;
				case KIND_PIECE:
					this.onPieceChanged(pieceId);
					break;
				case KIND_SYNC_REQUEST: {
					const diff = Y.encodeStateAsUpdate(live.doc, payload);
					this.publish(pieceId, KIND_UPDATE, diff);
					const states = [...live.awareness.getStates().keys()];
					if (states.length) this.publish(pieceId, KIND_AWARENESS, awarenessProtocol.encodeAwarenessUpdate(live.awareness, states));
					this.publish(pieceId, KIND_ACK, live.durableStateVector);
					break;
				}
			}
		} catch (err) {
			this.log.warn({ pieceId, err }, 'dropping an undecodable relay message');
		}
	}

	async close(): Promise<void> {
		await Promise.all([this.pub.quit().catch(() => {}), this.sub.quit().catch(() => {})]);
	}
}
