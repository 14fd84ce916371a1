// Targets: the servers under test. Galley (its build, on PGlite or Postgres, with an account and an API token
// to create pieces) and the in-memory comparisons (the reference y-websocket server, Hocuspocus).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { ROOT } from '../knobs';
import { progress, type TargetResult } from './common';
import { hocuspocusClient, yWebsocketClient, type BenchClient } from './clients';
import { LogCollector, ServerProcess } from './processes';
import { pool, round, sleep } from './stats';

export interface Target {
	name: string;
	galley: boolean;
	persistent: boolean;
	server: ServerProcess;
	start(): Promise<void>;
	stop(): Promise<TargetResult>;
	/** Stop and start again on the same storage (Galley only). */
	restart?(): Promise<TargetResult>;
	createDocs(n: number): Promise<string[]>;
	connect(doc: string, presence?: boolean): BenchClient;
	/** Extra per-target checks (Galley on Postgres: update rows of a piece). */
	updateRows?(doc: string): Promise<number | null>;
	cleanup(): Promise<void>;
}

export const GALLEY_BENIGN = [
	/"msg":"(database ready|Galley is listening|migrations? (applied|ran|up to date)[^"]*)"/,
	/^GALLEY_LISTENING \d+$/
];

export class GalleyTarget implements Target {
	galley = true;
	persistent = true;
	server: ServerProcess;
	token = '';
	private base = '';
	private sql: postgres.Sql | null = null;
	constructor(
		readonly name: string,
		entry: string,
		envVars: Record<string, string>,
		private dbUrl: string | null
	) {
		this.server = new ServerProcess(name, [entry], { PORT: '0', HOST: '127.0.0.1', ORIGIN: '', NODE_ENV: 'production', GALLEY_RATE_LIMITS: 'off', ...envVars }, /^GALLEY_LISTENING (\d+)/, new LogCollector(GALLEY_BENIGN));
	}
	private get wsBase() {
		return `ws://127.0.0.1:${this.server.port}/collab`;
	}
	async start() {
		// The build may be mid-rewrite by someone else: retry a few times.
		let lastErr: unknown = null;
		for (let attempt = 0; attempt < 4; attempt++) {
			try {
				await this.server.start(90_000);
				this.base = `http://127.0.0.1:${this.server.port}`;
				if (!this.token) await this.setup();
				return;
			} catch (err) {
				lastErr = err;
				progress(`${this.name}: start failed (${String(err).split('\n')[0]}); retrying`);
				await this.server.stop(3000).catch(() => undefined);
				await sleep(5000);
			}
		}
		throw lastErr;
	}
	private async setup() {
		const r1 = await fetch(`${this.base}/api/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: this.base },
			body: JSON.stringify({ email: 'bench@example.org', name: 'Bench Editor', password: 'bench-password-123' })
		});
		if (r1.status !== 201) throw new Error(`POST /api/setup: ${r1.status} ${await r1.text()}`);
		const cookie = r1.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('galley_session='));
		if (!cookie) throw new Error('POST /api/setup set no galley_session cookie');
		const r2 = await fetch(`${this.base}/api/tokens`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: this.base, cookie },
			body: JSON.stringify({ name: 'bench' })
		});
		if (r2.status !== 201) throw new Error(`POST /api/tokens: ${r2.status} ${await r2.text()}`);
		this.token = ((await r2.json()) as { token: string }).token;
	}
	async createDocs(n: number): Promise<string[]> {
		return pool(
			Array.from({ length: n }, (_, i) => i),
			4,
			async (i) => {
				const r = await fetch(`${this.base}/api/pieces`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
					body: JSON.stringify({ kind: 'article', title: `Bench piece ${i} ${Date.now()}` })
				});
				if (r.status !== 201) throw new Error(`POST /api/pieces: ${r.status} ${await r.text()}`);
				return ((await r.json()) as { piece: { id: string } }).piece.id;
			}
		);
	}
	connect(doc: string, presence = false): BenchClient {
		return yWebsocketClient(this.wsBase, doc, { token: this.token }, true, presence);
	}
	async stop() {
		return this.server.stop();
	}
	async restart() {
		const stopped = await this.stop();
		const t = performance.now();
		await this.start();
		return { stop_ms: stopped.ms, stop_killed: stopped.killed, stop_exit_code: stopped.code, start_ms: round(performance.now() - t, 0) };
	}
	async updateRows(doc: string): Promise<number | null> {
		if (!this.dbUrl) return null;
		this.sql ??= postgres(this.dbUrl, { max: 1, onnotice: () => undefined });
		const rows = await this.sql`select count(*)::int as n from document_updates where piece_id = ${doc}`;
		return (rows[0] as { n: number }).n;
	}
	async cleanup() {
		await this.sql?.end({ timeout: 2 }).catch(() => undefined);
		this.sql = null;
	}
}

export class PlainTarget implements Target {
	galley = false;
	persistent = false;
	server: ServerProcess;
	private counter = 0;
	constructor(
		readonly name: string,
		script: string,
		private kind: 'reference' | 'hocuspocus'
	) {
		this.server = new ServerProcess(name, [path.join(ROOT, script)], { PORT: '0', HOST: '127.0.0.1' }, /^BENCH_LISTENING (\d+)/, new LogCollector([/^BENCH_LISTENING/]));
	}
	async start() {
		await this.server.start(30_000);
	}
	async stop() {
		return this.server.stop(5000);
	}
	async createDocs(n: number) {
		return Array.from({ length: n }, () => `bench-doc-${++this.counter}-${Math.random().toString(36).slice(2, 8)}`);
	}
	connect(doc: string, presence = false): BenchClient {
		const url = `ws://127.0.0.1:${this.server.port}`;
		return this.kind === 'reference' ? yWebsocketClient(url, doc, {}, false, presence) : hocuspocusClient(url, doc, presence);
	}
	async cleanup() {}
}
