// Nothing a client writes can break a piece. A stock y-websocket client writes arbitrary element trees
// (random names, script/img/iframe, on* attributes, javascript: URLs, random nesting, random formats as
// marks) straight into the body of a piece on a real server: the server conforms each update to the editor
// schema, every client converges on the conformed content, and the content API answers 200 in every format
// with HTML that holds no script, no event handler and no javascript: URL. And presence: an awareness state
// over the cap closes its connection with 1008 and reaches nobody.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { editorWithPiece } from '../support/collab-fixture';
import { CLOSE, MAX_AWARENESS_STATE_BYTES } from '../../src/lib/domain/collab';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { editorSchema } from '../../src/lib/editor/extensions';

const START_TIMEOUT = 120_000;
/** Each run is one update, its round trip to two clients, and three renders: a few tens of milliseconds. */
const RUNS = 25;

const HOSTILE_VALUES = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', '<script>alert(1)</script>', '" onmouseover="alert(1)', 'data:text/html,<script>alert(1)</script>', 'https://example.org/', 'x'];

type TextSpec = { kind: 'text'; text: string; formats: Record<string, unknown> };
type ElementSpec = { kind: 'element'; name: string; attrs: Record<string, unknown>; children: NodeSpec[] };
type NodeSpec = TextSpec | ElementSpec;

const value = fc.oneof(fc.constantFrom<unknown>(...HOSTILE_VALUES, 2, 1_000_000_000, -1, true, null, { a: 1 }), fc.string({ maxLength: 12 }));
const markValue = fc.oneof(
	fc.constant<unknown>({}),
	fc.record({ href: value }, { requiredKeys: [] }),
	fc.record({ url: value, source: value, date: value, qualifier: value }, { requiredKeys: [] }),
	fc.record({ onclick: value, style: value }, { requiredKeys: [] }),
	value
);
const textArb: fc.Arbitrary<TextSpec> = fc.record({
	kind: fc.constant('text' as const),
	text: fc.oneof(fc.constantFrom('# x', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', 'plain'), fc.string({ minLength: 1, maxLength: 16 })),
	formats: fc.dictionary(fc.oneof(fc.constantFrom('bold', 'italic', 'code', 'link', 'citation', 'citation--a1b2c3d4', 'blink', 'onclick', 'script'), fc.string({ minLength: 1, maxLength: 8 })), markValue, { maxKeys: 3 })
});
const elementName = fc.oneof(
	fc.constantFrom('paragraph', 'heading', 'blockquote', 'bulletList', 'orderedList', 'listItem', 'codeBlock', 'horizontalRule', 'hardBreak', 'qaBlock', 'participants', 'participant', 'leadIn', 'endnote'),
	fc.constantFrom('script', 'img', 'image', 'iframe', 'a', 'svg', 'doc', 'text', 'style'),
	fc.string({ minLength: 1, maxLength: 8 })
);
const attrName = fc.oneof(
	fc.constantFrom('level', 'href', 'src', 'id', 'note', 'speaker', 'kind', 'language', 'start', 'list', 'name', 'label'),
	fc.constantFrom('onclick', 'onerror', 'onload', 'style', 'srcdoc', 'xlink:href'),
	fc.string({ minLength: 1, maxLength: 8 })
);
const { node: nodeArb } = fc.letrec<{ node: NodeSpec; element: ElementSpec }>((tie) => ({
	node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, textArb, tie('element')),
	element: fc.record({
		kind: fc.constant('element' as const),
		name: elementName,
		attrs: fc.dictionary(attrName, value, { maxKeys: 3 }),
		children: fc.array(tie('node'), { maxLength: 3 })
	})
}));
const treeArb = fc.array(nodeArb, { minLength: 1, maxLength: 4 });

function build(spec: NodeSpec): Y.XmlElement | Y.XmlText {
	if (spec.kind === 'text') {
		const text = new Y.XmlText();
		text.insert(0, spec.text, spec.formats as Record<string, object>);
		return text;
	}
	const element = new Y.XmlElement(spec.name);
	for (const [key, v] of Object.entries(spec.attrs)) element.setAttribute(key, v as string);
	element.insert(0, spec.children.map(build));
	return element;
}

/** The names of every element in a Yjs XML tree. */
function elementNamesOf(type: Y.XmlFragment | Y.XmlElement): string[] {
	return type.toArray().flatMap((child) => (child instanceof Y.XmlElement ? [child.nodeName, ...elementNamesOf(child)] : []));
}

/** Every attribute of every tag in `html`: no `on…` attribute, no javascript: URL. Text is escaped, so only tags are read. */
function unsafeBitsOf(html: string): string[] {
	const found: string[] = [];
	if (/<script/i.test(html)) found.push('<script');
	for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
		for (const [, name, quoted, bare] of tag.matchAll(/\s([^\s=>"']+)(?:=(?:"([^"]*)"|([^\s>]*)))?/g)) {
			if (/^on/i.test(name)) found.push(`${name}= in ${tag}`);
			const value = (quoted ?? bare ?? '').replace(/&#x?[0-9a-f]+;?|\s/gi, '');
			if (/^javascript:/i.test(value)) found.push(`javascript: URL in ${tag}`);
		}
	}
	return found;
}

describe.each(oneDatabaseKind())('hostile content from stock clients on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let token: string;
	let pieceId: string;
	let api: TestClient;
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		({ token, pieceId, api } = await editorWithPiece(galley.url, 'article'));
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await galley?.stop();
		await database?.drop();
	});

	const connect = (presence = false) => {
		const client = connectCollab(galley.wsUrl, pieceId, { token }, { presence });
		clients.push(client);
		return client;
	};
	const bodyXml = (client: CollabClient) => client.doc.getXmlFragment(BODY_FRAGMENT).toString();

	it('conforms arbitrary element trees to the schema: every client converges, every format answers 200, the HTML is safe', async () => {
		const writer = connect();
		const reader = connect();
		await Promise.all([writer.synced, reader.synced]);
		await fc.assert(
			fc.asyncProperty(treeArb, async (tree) => {
				writer.doc.getXmlFragment(BODY_FRAGMENT).push(tree.map(build));
				await vi.waitFor(() => expect(writer.ownEditsAcked()).toBe(true), { timeout: 10_000 });
				// the sender holds the correction too: both clients hold the same, conformed content
				await vi.waitFor(() => expect(bodyXml(reader)).toBe(bodyXml(writer)), { timeout: 10_000 });
				for (const format of ['json', 'html', 'markdown']) {
					const res = await api.get(`/api/pieces/${pieceId}/content?format=${format}`);
					expect(res.status, `${format}: ${res.text.slice(0, 300)}`).toBe(200);
					if (format === 'html') expect(unsafeBitsOf(res.text)).toEqual([]);
				}
				expect(elementNamesOf(writer.doc.getXmlFragment(BODY_FRAGMENT)).filter((name) => !Object.hasOwn(editorSchema.nodes, name))).toEqual([]);
			}),
			{ numRuns: RUNS, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: 1 }
		);
		expect(writer.closes).toEqual([]);
		expect(galley.output()).not.toMatch(/RangeError|Unknown node type|\n\s+at /);
	}, 120_000);

	it(`closes a connection whose awareness state is over ${MAX_AWARENESS_STATE_BYTES} bytes with 1008, and fans that state out to nobody`, async () => {
		const observer = connect(true);
		const sender = connect(true);
		await Promise.all([observer.synced, sender.synced]);
		observer.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
		const seen: number[] = []; // the lengths of the sender's note, as the observer received them
		observer.provider.awareness.on('change', () => {
			const note = observer.provider.awareness.getStates().get(sender.doc.clientID)?.note;
			if (typeof note === 'string') seen.push(note.length);
		});
		// a state under the cap goes through, stamped
		sender.provider.awareness.setLocalStateField('note', 'x'.repeat(4096));
		await vi.waitFor(() => expect(observer.provider.awareness.getStates().get(sender.doc.clientID)?.note).toHaveLength(4096), { timeout: 10_000 });
		sender.provider.awareness.setLocalStateField('note', 'y'.repeat(MAX_AWARENESS_STATE_BYTES));
		await vi.waitFor(() => expect(sender.closes[0]?.code).toBe(CLOSE.POLICY), { timeout: 10_000 });
		await vi.waitFor(() => expect(observer.provider.awareness.getStates().has(sender.doc.clientID)).toBe(false), { timeout: 10_000 });
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.every((n) => n === 4096)).toBe(true);
		expect(observer.closes).toEqual([]);
		sender.provider.disconnect(); // the stock client would reconnect and send it again
	}, 60_000);
});
