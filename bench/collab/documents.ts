// Document helpers: the body is a Y.XmlFragment of paragraphs holding Y.XmlText (as TipTap writes it);
// connecting many clients at once, their close codes, a writer's timed edit and durable-ack tracking.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { Json } from './common';
import type { BenchClient } from './clients';
import type { Target } from './targets';
import { pool, withTimeout } from './stats';

export function addParagraph(doc: Y.Doc, text = ''): Y.XmlText {
	const frag = doc.getXmlFragment('body');
	const p = new Y.XmlElement('paragraph');
	const t = new Y.XmlText();
	doc.transact(() => {
		frag.insert(frag.length, [p]);
		p.insert(0, [t]);
		if (text) t.insert(0, text);
	});
	return t;
}
export function bodyTextLength(doc: Y.Doc): number {
	let n = 0;
	for (const node of doc.getXmlFragment('body').toArray()) {
		if (node instanceof Y.XmlElement) for (const child of node.toArray()) if (child instanceof Y.XmlText) n += child.length;
	}
	return n;
}

/** Connect `n` clients to `doc` (at most `limit` connecting at once), wait until all are synced. */
export async function connectAll(target: Target, docs: string[], limit: number, timeoutMs: number, syncTimes?: number[], presence = false): Promise<BenchClient[]> {
	const clients: BenchClient[] = [];
	await withTimeout(
		pool(docs, limit, async (doc) => {
			const t = performance.now();
			const c = target.connect(doc, presence);
			clients.push(c);
			await c.synced;
			syncTimes?.push(performance.now() - t);
			return c;
		}),
		timeoutMs,
		`${docs.length} clients to sync`
	).catch((err) => {
		for (const c of clients) c.destroy();
		throw err;
	});
	return clients;
}
export function closeSummary(clients: BenchClient[]): Json {
	const byCode: Record<string, number> = {};
	for (const c of clients) for (const e of c.closes) byCode[`${e.code}${e.reason ? ` ${e.reason}` : ''}`] = (byCode[`${e.code}${e.reason ? ` ${e.reason}` : ''}`] ?? 0) + 1;
	return byCode;
}

/** A writer's edit: a few characters into its own paragraph plus a marker in the same transaction. */
export function makeEdit(doc: Y.Doc, text: Y.XmlText, marker: Y.Map<number>, id: string, chars: string): number {
	const t0 = performance.now();
	doc.transact(() => {
		text.insert(text.length, chars);
		marker.set(id, t0);
	});
	return t0;
}

/**
 * Tracks durable-ack latency of one writer's edits: time from the edit to the first type-8 message whose
 * state vector covers the writer's clock after that edit. Also, as a diagnostic, the time from the edit to
 * the next type-8 message whatever it covers (`nextSink`), and the highest own clock any ack covered.
 */
export function ackTracker(client: BenchClient, sink: number[], nextSink?: number[]) {
	const pending: { clock: number; t0: number }[] = [];
	let waitingForNext: number[] = [];
	let highestCovered = 0;
	client.onAck = (sv) => {
		const now = performance.now();
		const c = sv.get(client.doc.clientID) ?? 0;
		highestCovered = Math.max(highestCovered, c);
		while (pending.length && pending[0].clock <= c) sink.push(now - pending.shift()!.t0);
		if (nextSink) for (const t0 of waitingForNext) nextSink.push(now - t0);
		waitingForNext = [];
	};
	return {
		sent(t0: number) {
			pending.push({ clock: Y.getState(client.doc.store, client.doc.clientID), t0 });
			waitingForNext.push(t0);
		},
		get pending() {
			return pending.length;
		},
		get highestCovered() {
			return highestCovered;
		},
		get ownClock() {
			return Y.getState(client.doc.store, client.doc.clientID);
		}
	};
}

/**
 * Time every marker whose key starts with `prefix` as it arrives at `client` (a writer's makeEdit set it to
 * performance.now() when sending): `arrived` gets the latency. Returns the function that stops observing.
 */
export function observeArrivals(client: BenchClient, prefix: string, arrived: (latencyMs: number) => void): () => void {
	const map = client.doc.getMap<number>('bench');
	const fn = (ev: Y.YMapEvent<number>) => {
		const now = performance.now();
		for (const key of ev.keysChanged) {
			if (!key.startsWith(prefix)) continue;
			const t0 = map.get(key);
			if (typeof t0 === 'number') arrived(now - t0);
		}
	};
	map.observe(fn);
	return () => map.unobserve(fn);
}
