import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Database } from '../db/client';
import type { Actor } from '../auth/sessions';
import type { RateLimits } from '../auth/rate-limits';
import { DocumentStore } from './persistence';
import type { LiveDocument } from './documents';
import { GroupCommit } from './group-commit';
import { CollabConnection } from './connection';
import { LIMITS } from './client-messages';
import { CLOSE, HOLDS_NO_COPY_PARAM } from '../../domain/collab';
import { EDITOR_SCHEMA_VERSION } from '../../editor/version';
import { CollabRelay } from './relay';
import { DocumentRegistry, ServerStopping } from './registry';
import { AfterStore } from './after-store';
import { PieceNotices } from './piece-notices';
import { handleCollabUpgrade, type UpgradeGrant, type UpgradeHost } from './upgrade';
import { Withdrawals } from './withdrawals';
import { HeldFrames } from './early-step';
import { announcePieceChange, type PiecePublisher } from '../live/piece-events';
import { logger, type Logger } from '../log';

/** What a connection may do: edit or view, and when editing only some sections, which (see UpgradeGrant). */
type ConnectionAccess = Pick<UpgradeGrant, 'access' | 'sections'>;

export interface CollabServerOptions {
	db: Database;
	/** The app's configured origin; null derives it from the Host header. */
	origin: string | null;
	log?: Logger;
	groupCommitWindowMs?: number;
	/** Redis URL: relay updates and awareness to other Galley processes serving the same documents. */
	redisUrl?: string | null;
	/** Rate limits on upgrades (auth/rate-limits.ts); none when absent. */
	limits?: Pick<RateLimits, 'refuseUpgrade'>;
	/** The session cookie's name for this origin's scheme (auth/sessions.ts sessionCookieName). */
	sessionCookie?: string;
	/** The live feed (live/feed.ts): told when a store changes a piece's word count or "updated". */
	feed?: PiecePublisher;
}

/** A relayed update not acknowledged by its process within this time is stored here too (it may have died). */
const ORPHAN_AFTER_MS = 5_000;
/** A connection is sent something at least this often (stock clients reconnect after 30 s of silence). */
const KEEPALIVE_MS = 10_000;
/** Keepalives sent in one turn of the event loop: thousands of idle connections must not hold up the edits. */
const KEEPALIVES_PER_TURN = 64;

/**
 * The collaboration server: takes the authenticated upgrade (upgrade.ts) onto the piece's LiveDocument (kept by
 * registry.ts), persists through the group commit with the after-store jobs (after-store.ts), re-checks rights
 * when they change and withdraws revoked sign-ins (withdrawals.ts).
 */
export class CollabServer {
	readonly store: DocumentStore;
	readonly commits: GroupCommit;
	private wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxPayloadBytes, perMessageDeflate: false });
	private documents: DocumentRegistry;
	private log: NonNullable<CollabServerOptions['log']>;
	readonly relay: CollabRelay | null;
	private orphanTimer: NodeJS.Timeout | null = null;

	constructor(private opts: CollabServerOptions) {
		this.log = opts.log ?? logger;
		this.store = new DocumentStore(opts.db);
		this.commits = new GroupCommit(this.store, {
			windowMs: opts.groupCommitWindowMs,
			onError: (err, attempt) => this.log.warn({ err, attempt }, 'storing updates failed; will retry'),
			onStored: (doc) => this.afterStore.stored(doc)
		});
		this.pieceNotices = new PieceNotices(opts.db, this.log);
		this.afterStore = new AfterStore(opts.db, this.store, (live) => this.documents.isLoaded(live), this.log, (pieceId, issueId) =>
			announcePieceChange(opts.feed, pieceId, issueId)
		);
		// Stock clients reconnect after 30 s without a message; a connection sent nothing for 5 s gets the
		// durable ack again (so at most 10 s pass without a message), which doubles as a keepalive.
		this.keepalive = setInterval(() => void this.sendKeepalives(), KEEPALIVE_MS / 2);
		this.keepalive.unref();
		this.relay = opts.redisUrl ? new CollabRelay(opts.redisUrl, this.log) : null;
		this.documents = new DocumentRegistry(this.store, this.commits, this.afterStore, this.relay, this.log);
		if (this.relay) {
			this.relay.onRightsChanged = (pieceId) => void this.recheckRights(pieceId);
			this.relay.onCredentialRevoked = (credential, signedOut) => this.withdrawals.closeCredential(credential, signedOut);
			this.relay.onPieceChanged = (pieceId) => void this.pushPiece(pieceId);
			this.relay.onAccountChanged = (userId) => this.withdrawals.closeAccount(userId);
			this.orphanTimer = setInterval(() => this.adoptOrphans(), 1_000);
			this.orphanTimer.unref();
		}
	}

	/** The `piece` notices: what open pages show of the piece besides its text (piece-notices.ts). */
	private pieceNotices: PieceNotices;
	/** Projections and merges after each store (after-store.ts). */
	private afterStore: AfterStore;
	private keepalive: NodeJS.Timeout;

	/**
	 * The durable ack again to every connection sent nothing for half of KEEPALIVE_MS (one that gets edits
	 * needs none), a slice per turn of the event loop so that edits arriving meanwhile are fanned out between.
	 */
	private async sendKeepalives() {
		const quietSince = Date.now() - KEEPALIVE_MS / 2;
		const quiet: { peer: CollabConnection; live: LiveDocument }[] = [];
		for (const live of this.documents.loadedDocuments()) {
			for (const peer of live.peers) if (peer instanceof CollabConnection && peer.lastSentAt <= quietSince) quiet.push({ peer, live });
		}
		const acks = new Map<LiveDocument, Uint8Array>();
		for (let i = 0; i < quiet.length; i += KEEPALIVES_PER_TURN) {
			if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
			for (const { peer, live } of quiet.slice(i, i + KEEPALIVES_PER_TURN)) {
				let ack = acks.get(live);
				if (!ack) acks.set(live, (ack = live.durableStateVector));
				peer.sendDurableAck(ack);
			}
		}
	}

	private async adoptOrphans() {
		for await (const live of this.documents.openDocuments()) live.adoptOrphans(ORPHAN_AFTER_MS);
	}

	get openDocuments(): number {
		return this.documents.size;
	}

	/** Handle an HTTP upgrade (see upgrade.ts). Returns false when the path is not ours (e.g. Vite's HMR socket). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		return handleCollabUpgrade(this.upgradeHost, req, socket, (grant) => this.accept(req, socket, head, grant));
	}

	/** What the upgrade (upgrade.ts) needs of this server. */
	private get upgradeHost(): UpgradeHost {
		return {
			db: this.opts.db,
			origin: this.opts.origin,
			sessionCookie: this.opts.sessionCookie,
			limits: this.opts.limits,
			stopping: () => this.documents.stopping,
			rightsVersion: (pieceId) => this.rightsVersion(pieceId),
			log: this.log
		};
	}

	/** An authenticated, authorized upgrade: open the websocket and attach it to the piece's document. */
	private accept(req: IncomingMessage, socket: Duplex, head: Buffer, { url, pieceId, actor, access, sections, rightsSeen, authenticatedAt }: UpgradeGrant) {
		this.wss.handleUpgrade(req, socket, head, (ws) => {
			const schema = url.searchParams.get('schema');
			if (schema !== null && Number(schema) !== EDITOR_SCHEMA_VERSION) {
				ws.close(CLOSE.SCHEMA_OUTDATED, `editor schema ${schema} is outdated; reload to get ${EDITOR_SCHEMA_VERSION}`);
				return;
			}
			const holdsNoCopy = url.searchParams.get(HOLDS_NO_COPY_PARAM[0]) === HOLDS_NO_COPY_PARAM[1];
			this.attach(ws, pieceId, actor, { access, sections }, rightsSeen, authenticatedAt, holdsNoCopy).catch((err) => {
				if (err instanceof ServerStopping) return ws.close(CLOSE.GOING_AWAY, 'server restarting');
				this.log.warn({ pieceId, err }, 'could not load document');
				ws.close(CLOSE.UNAVAILABLE, 'document could not be loaded; try again');
			});
		});
	}

	/**
	 * `holdsNoCopy`: the socket's address said the client holds no copy of the piece (HOLDS_NO_COPY_PARAM): it is
	 * sent the piece as soon as it is attached (or ahead, while the document loads), without asking.
	 */
	private async attach(ws: import('ws').WebSocket, pieceId: string, actor: Actor, access: ConnectionAccess, rightsSeen: number, authenticatedAt: number, holdsNoCopy = false) {
		// Hold messages that arrive while the document loads (a new client's step 1 may be answered ahead: early-step.ts).
		const held = new HeldFrames(ws, () => !this.withdrawals.refusal(actor, authenticatedAt) && this.rightsVersion(pieceId) === rightsSeen, holdsNoCopy);
		ws.on('message', held.hold);
		const unwatch = this.documents.whenStoredAhead(pieceId, held.storedAhead);
		try {
			await this.use(pieceId, (live) => {
				ws.off('message', held.hold);
				unwatch();
				if (ws.readyState !== ws.OPEN) return this.documents.maybeUnload(live);
				const refusal = this.withdrawals.refusal(actor, authenticatedAt);
				if (refusal) {
					ws.close(refusal.code, refusal.reason);
					return this.documents.maybeUnload(live);
				}
				// Rights changed while this connection waited for the document: the re-check missed it.
				if (this.rightsVersion(pieceId) !== rightsSeen) {
					ws.close(CLOSE.RIGHTS_CHANGED, 'your access to this piece changed; reconnect');
					return this.documents.maybeUnload(live);
				}
				if (live.connectionCount >= LIMITS.connectionsPerDocument) {
					ws.close(CLOSE.POLICY, 'too many connections to this document');
					return this.documents.maybeUnload(live);
				}
				try {
					const conn = this.connect(ws, live, actor, access, held.answered);
					if (holdsNoCopy) conn.answerClientWithNoCopy();
					for (const [data, isBinary] of held.frames.splice(0)) ws.emit('message', data, isBinary);
				} catch (err) {
					this.documents.maybeUnload(live);
					throw err;
				}
			});
		} finally {
			unwatch();
		}
	}

	/** A connection for the lifetime of the socket (made outside attach: its closures keep nothing of attach's). */
	private connect(ws: import('ws').WebSocket, live: LiveDocument, actor: Actor, { access, sections }: ConnectionAccess, answeredAhead = false): CollabConnection {
		const conn = new CollabConnection(ws, live, actor, access, this.log.child({ pieceId: live.pieceId, user: actor.id }), sections, answeredAhead);
		conn.onClosed = () => this.documents.maybeUnload(live);
		conn.start();
		void this.pieceNotices.push(conn);
		return conn;
	}

	/** Counts the rights changes of each piece seen by this process (see attach). */
	private rightsChanges = new Map<string, number>();

	/** How many rights changes of the piece this process has seen: an action that checked the rights compares it before acting. */
	rightsVersion(pieceId: string): number {
		return this.rightsChanges.get(pieceId) ?? 0;
	}

	/** Run `act` on the piece's loaded document (registry.ts `use`); call `release` when done with it. */
	use<T>(pieceId: string, act: (live: LiveDocument) => T): Promise<T> {
		return this.documents.use(pieceId, act);
	}

	/** Done with a document used outside a connection (an import): unload it if nobody is here. */
	release(live: LiveDocument): void {
		this.documents.maybeUnload(live);
	}

	/**
	 * Rights to a piece changed (locked, reopened, assignment removed): re-check every connection and close
	 * those whose access differs, so their clients reconnect with the new rights.
	 */
	async rightsChanged(pieceId: string): Promise<void> {
		this.relay?.announceRightsChanged(pieceId);
		await this.recheckRights(pieceId);
	}

	private async recheckRights(pieceId: string): Promise<void> {
		this.rightsChanges.set(pieceId, this.rightsVersion(pieceId) + 1);
		const live = await this.documents.ifOpen(pieceId);
		if (!live) return;
		await this.withdrawals.recheckAccess(this.opts.db, live);
		// the connections left open see the new state, moves and lock (those closed get it on reconnecting)
		await this.pieceNotices.pushAll(live);
	}

	/**
	 * A piece's details (title, kind, authors, bios) changed: every open page of it, here and on the other
	 * processes, gets the `piece` notice.
	 */
	async detailsChanged(pieceId: string): Promise<void> {
		this.relay?.announcePieceChanged(pieceId);
		await this.pushPiece(pieceId);
	}

	private async pushPiece(pieceId: string): Promise<void> {
		const live = this.documents.loadedDocument(pieceId);
		if (live) await this.pieceNotices.pushAll(live);
	}

	/**
	 * A sign-in was revoked (signed out, API token revoked): close every connection it opened, here and
	 * on the other processes, with 4401 when its person signed out, else 4003 (no reconnecting either way:
	 * the credential no longer works).
	 */
	async credentialRevoked(credential: string, why: 'signed_out' | 'revoked' = 'revoked'): Promise<void> {
		this.relay?.announceCredentialRevoked(credential, why === 'signed_out');
		this.withdrawals.closeCredential(credential, why === 'signed_out');
	}

	/**
	 * A person's role changed: close their connections, here and on the other processes, with 4001 so their
	 * clients reconnect with the new rights. (A removed person's sign-ins are revoked: credentialRevoked.)
	 */
	accountChanged(userId: string): void {
		this.relay?.announceAccountChanged(userId);
		this.withdrawals.closeAccount(userId);
	}

	/** Revoked sign-ins and the connections they opened (see credentialRevoked), changed accounts (accountChanged). */
	private withdrawals = new Withdrawals(() => this.documents.loadedDocuments());

	/** Rebuild a loaded document's projections now if a rebuild waits (an import: its metrics at once). */
	async projectNow(live: LiveDocument): Promise<void> {
		await this.afterStore.flushProjection(live);
	}

	/** The current state of a piece: from memory when it is open, else from the database. */
	readState(pieceId: string): Promise<Uint8Array | null> {
		return this.documents.readState(pieceId);
	}

	/** Flush everything and close all connections (SIGTERM). */
	async stop(): Promise<void> {
		this.documents.stopping = true;
		const closing: Promise<void>[] = [];
		for await (const live of this.documents.openDocuments()) {
			for (const peer of [...live.peers]) {
				if (!(peer instanceof CollabConnection)) continue;
				// give the close frame up to a second to reach the client before the process exits
				closing.push(new Promise<void>((resolve) => {
					peer.socket.once('close', () => resolve());
					setTimeout(resolve, 1_000).unref();
				}));
				peer.close(CLOSE.GOING_AWAY, 'server restarting');
			}
		}
		await this.commits.idle();
		await Promise.all([...this.documents.unloads(), ...closing]);
		// An unload that gave up for an edit made meanwhile is not tried again now: store that edit.
		while ([...this.documents.loadedDocuments()].some((live) => live.hasUnsavedUpdates)) await this.commits.idle();
		this.commits.stop();
		// Documents still loaded (an unload that found unsaved updates): their waiting projection is rebuilt
		// now; a merge already running finishes before the database closes (one not started can wait).
		this.afterStore.clearCompactions();
		for (const live of this.documents.loadedDocuments()) {
			await this.afterStore.flushProjection(live);
			await live.compacting?.catch(() => {});
		}
		this.afterStore.clearProjections();
		if (this.orphanTimer) clearInterval(this.orphanTimer);
		clearInterval(this.keepalive);
		await this.relay?.close();
		this.wss.close();
	}
}
