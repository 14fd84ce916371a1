// CPU profiles and traces of the page (BENCH_PROFILE), summarised: where the time goes.
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { CONFIG, round } from './common';

export async function startProfile(page: Page): Promise<CDPSession> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
	await cdp.send('Profiler.start');
	return cdp;
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
/** The heaviest functions of a profile by self time, and the heaviest by total time (self + callees). */
function summariseProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 30) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
	const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(_app|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfBy = new Map<string, number>();
	const totalBy = new Map<string, number>();
	for (const [id, ms] of self) {
		const n = byId.get(id)!;
		selfBy.set(label(n), (selfBy.get(label(n)) ?? 0) + ms);
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const l = label(byId.get(cur)!);
			if (seen.has(l)) continue;
			seen.add(l);
			totalBy.set(l, (totalBy.get(l) ?? 0) + ms);
		}
	}
	const sorted = (m: Map<string, number>) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, v]) => `${round(v)} ms  ${k}`);
	const total = [...self.values()].reduce((a, b) => a + b, 0);
	return { sampled_ms: round(total), self: sorted(selfBy), total: sorted(totalBy) };
}

export async function stopProfile(cdp: CDPSession, name: string) {
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
	fs.mkdirSync(CONFIG.profile_dir!, { recursive: true });
	const file = path.join(CONFIG.profile_dir!, `${name}.cpuprofile`);
	fs.writeFileSync(file, JSON.stringify(profile));
	await cdp.detach();
	return { file, ...summariseProfile(profile) };
}

/** The main thread's time by kind of work (script, style, layout, paint…) in a Chrome trace: where "(program)" goes. */
export function summariseTrace(buffer: Buffer, name: string) {
	fs.mkdirSync(CONFIG.profile_dir!, { recursive: true });
	const file = path.join(CONFIG.profile_dir!, name);
	fs.writeFileSync(file, buffer);
	const events = (JSON.parse(buffer.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tdur?: number; tid: number; pid: number }[] }).traceEvents;
	const main = events.find((e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain');
	const by = new Map<string, { ms: number; thread_ms: number; count: number }>();
	for (const e of events) {
		if (e.ph !== 'X' || !e.dur || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
		const b = by.get(e.name) ?? { ms: 0, thread_ms: 0, count: 0 };
		b.ms += e.dur / 1000;
		b.thread_ms += (e.tdur ?? 0) / 1000; // CPU time of the thread: what a loaded machine does not inflate
		b.count += 1;
		by.set(e.name, b);
	}
	return {
		file,
		main_thread: [...by]
			.sort((a, b) => b[1].ms - a[1].ms)
			.slice(0, 20)
			.map(([k, v]) => `${round(v.ms)} ms (thread ${round(v.thread_ms)} ms) in ${v.count}  ${k}`)
	};
}

