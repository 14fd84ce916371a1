// The interview benchmark's Galley server, its accounts and pieces.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../knobs';
import { CONFIG, progress, sleep } from './common';

// The server: a private copy of the build (so a rebuild meanwhile changes nothing), on a fresh PGlite folder.
export const cleanup: (() => void | Promise<void>)[] = [];
export async function startServer(): Promise<{ base: string; child: ChildProcess; output: () => string }> {
	const entry = path.join(CONFIG.build, 'galley-server.js');
	if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
	const dir = path.join(ROOT, 'bench', `.run-interview-${process.pid}`);
	fs.cpSync(CONFIG.build, path.join(dir, 'app'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'data'));
	cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	// BENCH_SERVER_NODE_ARGS: node options for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/x`: its CPU profile)
	const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...nodeArgs, path.join(dir, 'app', 'galley-server.js')], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			ORIGIN: '',
			NODE_ENV: 'production',
			GALLEY_RATE_LIMITS: 'off',
			GALLEY_DATA_DIR: path.join(dir, 'data'),
			DATABASE_URL: '',
			REDIS_URL: '',
			GALLEY_DEMO: ''
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	cleanup.push(
		() =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			})
	);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Galley did not start in 120 s:\n${out}`)), 120_000);
		child.stdout!.on('data', () => {
			const m = /GALLEY_LISTENING (\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.on('exit', (code) => reject(new Error(`Galley exited with ${code}:\n${out}`)));
	});
	return { base: `http://127.0.0.1:${port}`, child, output: () => out };
}

export async function request(base: string, method: string, p: string, opts: { cookie?: string; token?: string; body?: string; type?: string } = {}) {
	const headers: Record<string, string> = {};
	if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
	if (opts.cookie) Object.assign(headers, { cookie: opts.cookie, origin: base });
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	const res = await fetch(base + p, { method, headers, body: opts.body });
	const text = await res.text();
	if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('galley_session='));
	return { json: text ? JSON.parse(text) : null, cookie };
}

export const EDITOR = { email: 'bench-editor@example.org', name: 'Maren Holt', password: 'bench-password-123' };
export const OTHER = { email: 'bench-other@example.org', name: 'Lucía Ferraro', password: 'bench-password-456' };

export async function setUp(base: string) {
	const setup = await request(base, 'POST', '/api/setup', { body: JSON.stringify(EDITOR) });
	const cookie = setup.cookie!;
	await request(base, 'POST', '/api/people', { cookie, body: JSON.stringify({ ...OTHER, role: 'editor' }) });
	const other = await request(base, 'POST', '/api/auth/login', { body: JSON.stringify({ email: OTHER.email, password: OTHER.password }), cookie: '' });
	const token = (await request(base, 'POST', '/api/tokens', { cookie: other.cookie!, body: JSON.stringify({ name: 'bench' }) })).json.token as string;
	return { cookie, otherToken: token };
}

export async function interviewPiece(base: string, cookie: string, title: string, transcript: string): Promise<string> {
	const id = (await request(base, 'POST', '/api/pieces', { cookie, body: JSON.stringify({ kind: 'interview', title }) })).json.piece.id as string;
	await request(base, 'POST', `/api/pieces/${id}/transcript?mode=replace`, { cookie, body: transcript, type: 'text/plain; charset=utf-8' });
	return id;
}

