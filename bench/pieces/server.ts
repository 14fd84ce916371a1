// The pieces benchmark's Galley: a private copy of the build (a rebuild meanwhile changes nothing), started on
// a given database; requests timed from sending to the last byte of the body.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../knobs';

export const progress = (msg: string) => process.stderr.write(`[bench:pieces ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export interface Server {
	base: string;
	stop(): Promise<void>;
}

export async function startServer(appDir: string, env: Record<string, string>, port = 0): Promise<Server> {
	const child: ChildProcess = spawn(process.execPath, [path.join(appDir, 'galley-server.js')], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: '', NODE_ENV: 'production', GALLEY_RATE_LIMITS: 'off', REDIS_URL: '', GALLEY_DEMO: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const listening = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Galley did not start in 180 s:\n${out.slice(-2000)}`)), 180_000);
		child.stdout!.on('data', () => {
			const m = /GALLEY_LISTENING (\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.on('exit', (code) => reject(new Error(`Galley exited with ${code}:\n${out.slice(-2000)}`)));
	});
	return {
		base: `http://127.0.0.1:${listening}`,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
			})
	};
}

/** A copy of build/ to run. */
export function copyBuild(dir: string): string {
	const build = path.join(ROOT, 'build');
	if (!fs.existsSync(path.join(build, 'galley-server.js'))) throw new Error('build/galley-server.js is missing: run npm run build first');
	const app = path.join(dir, 'app');
	fs.cpSync(build, app, { recursive: true });
	return app;
}

export type Auth = { cookie?: string; token?: string };

export async function request(base: string, method: string, p: string, auth: Auth = {}, body?: unknown): Promise<{ status: number; json: any; ms: number; cookie?: string; text: string }> {
	const headers: Record<string, string> = {};
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (auth.cookie) Object.assign(headers, { cookie: auth.cookie, origin: base });
	if (auth.token) headers.authorization = `Bearer ${auth.token}`;
	const start = performance.now();
	const res = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	const ms = performance.now() - start;
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => /galley_session=/.test(c));
	let json: any = null;
	try {
		json = JSON.parse(text);
	} catch {
		/* HTML */
	}
	return { status: res.status, json, ms, cookie, text };
}

/** Like `request`, but a status of 300 or more throws. */
export async function must(base: string, method: string, p: string, auth: Auth = {}, body?: unknown) {
	const res = await request(base, method, p, auth, body);
	if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${res.text.slice(0, 300)}`);
	return res;
}

/** Run `work` for 0..n-1 with `concurrency` at a time. */
export async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>, every = 0, report?: (done: number) => void): Promise<void> {
	let next = 0;
	let done = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < n) {
				const i = next++;
				await work(i);
				done++;
				if (every && report && done % every === 0) report(done);
			}
		})
	);
}
