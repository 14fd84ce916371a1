// Child processes: every server we start is tracked and killed on exit, error or signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../knobs';
import { env, progress, type Json } from './common';
import { round, sleep, withTimeout } from './stats';

export const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Notable server log lines, grouped by message. */
export class LogCollector {
	private notable = new Map<string, { count: number; example: string }>();
	tail: string[] = [];
	private benign: RegExp[];
	constructor(benign: RegExp[]) {
		this.benign = [...benign, /^For help, see: https:\/\/nodejs\.org/, /^Debugger (attached|ending)\.?/];
	}
	add(stream: 'stdout' | 'stderr', line: string) {
		if (!line.trim()) return;
		this.tail.push(`${stream}: ${line}`);
		if (this.tail.length > 60) this.tail.shift();
		if (this.benign.some((re) => re.test(line))) return;
		let key = line;
		try {
			const parsed = JSON.parse(line) as { msg?: string; reason?: string; code?: number };
			if (parsed && typeof parsed.msg === 'string') key = `${parsed.msg}${parsed.code ? ` [${parsed.code}]` : ''}${parsed.reason ? `: ${parsed.reason}` : ''}`;
		} catch {
			key = line.replace(/\d+/g, 'N').slice(0, 160);
		}
		key = `${stream}: ${key}`;
		const entry = this.notable.get(key);
		if (entry) entry.count++;
		else this.notable.set(key, { count: 1, example: line.slice(0, 400) });
	}
	summary(): Json[] {
		return [...this.notable.entries()].map(([key, v]) => ({ key, count: v.count, example: v.example }));
	}
}

export class ServerProcess {
	child!: ChildProcess;
	port = 0;
	/** The server's inspector (started on a free 127.0.0.1 port) to force a garbage collection before RSS samples. */
	inspectorUrl: string | null = null;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
	constructor(
		readonly label: string,
		private args: string[],
		private envVars: Record<string, string | undefined>,
		private readyLine: RegExp,
		readonly logs: LogCollector
	) {}
	get pid(): number {
		return this.child.pid ?? -1;
	}
	get alive(): boolean {
		return this.child && this.child.exitCode === null && this.child.signalCode === null;
	}
	async start(timeoutMs = 60_000): Promise<number> {
		const t = performance.now();
		// BENCH_SERVER_NODE_ARGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
		const nodeArgs = env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
		this.inspectorUrl = null;
		const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...nodeArgs, ...this.args], {
			cwd: ROOT,
			env: { ...process.env, ...this.envVars },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		children.add(child);
		this.exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => {
				children.delete(child);
				resolve({ code, signal });
			})
		);
		const ready = new Promise<number>((resolve, reject) => {
			const onLine = (stream: 'stdout' | 'stderr') => {
				let buf = '';
				return (chunk: Buffer) => {
					buf += chunk.toString('utf8');
					let i: number;
					while ((i = buf.indexOf('\n')) >= 0) {
						const line = buf.slice(0, i);
						buf = buf.slice(i + 1);
						const m = line.match(this.readyLine);
						if (m) resolve(Number(m[1]));
						const insp = line.match(/^Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/);
						if (insp) this.inspectorUrl = insp[1];
						else this.logs.add(stream, line);
					}
				};
			};
			child.stdout!.on('data', onLine('stdout'));
			child.stderr!.on('data', onLine('stderr'));
			child.once('exit', (code, signal) =>
				reject(new Error(`${this.label} exited before listening (code ${code}, signal ${signal}); last output:\n${this.logs.tail.slice(-15).join('\n')}`))
			);
			child.once('error', reject);
		});
		try {
			this.port = await withTimeout(ready, timeoutMs, `${this.label} to listen`);
		} catch (err) {
			if (this.alive) child.kill('SIGKILL');
			throw err;
		}
		progress(`${this.label} listening on ${this.port} (pid ${child.pid}) after ${Math.round(performance.now() - t)} ms`);
		return performance.now() - t;
	}
	/** SIGTERM, then SIGKILL after `graceMs`. Returns how long the process took to exit and how. */
	async stop(graceMs = 12_000): Promise<{ ms: number; code: number | null; signal: string | null; killed: boolean }> {
		if (!this.child || !this.alive) return { ms: 0, code: this.child?.exitCode ?? null, signal: null, killed: false };
		const t = performance.now();
		this.child.kill('SIGTERM');
		let killed = false;
		const res = await Promise.race([this.exited, sleep(graceMs).then(() => null)]);
		if (res === null) {
			killed = true;
			this.child.kill('SIGKILL');
			await withTimeout(this.exited, 5000, `${this.label} to die`).catch(() => undefined);
		}
		const r = await Promise.race([this.exited, sleep(10).then(() => ({ code: null, signal: null }))]);
		return { ms: round(performance.now() - t, 0), code: r.code, signal: r.signal, killed };
	}
}
