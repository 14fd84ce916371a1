// A stock Yjs client can write elements, attributes and formats the editor schema does not have. The
// server removes what an update brings and the schema does not allow, in the same transaction, on the
// scratch copy: the live document, the other clients and the sender all end with the conforming content.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LiveDocument, type DocumentPeer } from './documents';
import { repairOnLoad } from './load-repairs';
import { BODY_FRAGMENT, jsonFromYDoc } from '../content/document';
import { recordingLogger } from '../../../../tests/support/logs';

const peer = (sent: Uint8Array[]): DocumentPeer => ({ sendUpdate: (u) => sent.push(u), sendAwareness() {}, durableAdvanced() {} });

/** The update a change of a fresh client document (after `base`) makes. */
function updateOf(change: (body: Y.XmlFragment, doc: Y.Doc) => void, base?: Y.Doc): { update: Uint8Array; client: Y.Doc } {
	const client = new Y.Doc();
	if (base) Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(client);
	change(client.getXmlFragment(BODY_FRAGMENT), client);
	return { update: Y.encodeStateAsUpdate(client, before), client };
}

function paragraph(text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	for (const [k, v] of Object.entries(attrs)) p.setAttribute(k, v as string);
	if (text) p.insert(0, [new Y.XmlText(text)]);
	return p;
}

function element(name: string, children: (Y.XmlElement | Y.XmlText)[] = [], attrs: Record<string, unknown> = {}): Y.XmlElement {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	el.insert(0, children);
	return el;
}

/** Apply a client update; return the live body as XML, what the sender and others received, and the sender's converged copy. */
function send(live: LiveDocument, change: (body: Y.XmlFragment, doc: Y.Doc) => void) {
	const toSender: Uint8Array[] = [];
	const toOthers: Uint8Array[] = [];
	const sender = peer(toSender);
	const other = peer(toOthers);
	live.peers.add(sender).add(other);
	const { update, client } = updateOf(change, live.doc);
	const { conformance } = live.applyClientUpdate(update, sender);
	for (const u of toSender) Y.applyUpdate(client, u);
	live.peers.delete(sender);
	live.peers.delete(other);
	const xml = live.doc.getXmlFragment(BODY_FRAGMENT).toString();
	return { xml, conformance, senderXml: client.getXmlFragment(BODY_FRAGMENT).toString(), toOthers };
}

describe('client updates are conformed to the editor schema', () => {
	it('removes an unknown element (script, image) with everything in it, keeps the rest of the update, and the sender converges', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const { xml, senderXml, toOthers, conformance } = send(live, (body) =>
			body.push([paragraph('kept'), element('script', [new Y.XmlText('alert(1)')]), element('paragraph', [new Y.XmlText('see '), element('image', [], { src: 'x.png' })])])
		);
		expect(xml).toBe('<paragraph>kept</paragraph><paragraph>see </paragraph>');
		expect(senderXml).toBe(xml);
		expect(toOthers).toHaveLength(1);
		const fanned = new Y.Doc();
		Y.applyUpdate(fanned, toOthers[0]);
		expect(fanned.getXmlFragment(BODY_FRAGMENT).toString()).toBe(xml);
		expect(JSON.stringify(Y.decodeUpdate(toOthers[0]))).not.toMatch(/script|alert|image/);
		expect(Object.fromEntries(conformance)).toEqual({ 'element script': 1, 'element image': 1 });
		live.destroy();
	});

	it('removes attributes the node type does not have and keeps those it has', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const { xml, senderXml } = send(live, (body) => body.push([element('heading', [new Y.XmlText('Title')], { level: 2, onclick: 'alert(1)', style: 'x' })]));
		expect(xml).toBe('<heading level="2">Title</heading>');
		expect(senderXml).toBe(xml);
		// an attribute set later on an existing element, beside a legit one in the same update
		const second = send(live, (body) => {
			const heading = body.get(0) as Y.XmlElement;
			heading.setAttribute('level', 3 as unknown as string);
			heading.setAttribute('onmouseover', 'x');
		});
		expect(second.xml).toBe('<heading level="3">Title</heading>');
		live.destroy();
	});

	it('removes a node where its parent does not allow it: a paragraph in a paragraph, text in the body, a participant outside participants, children of a leaf', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const { xml, senderXml } = send(live, (body) =>
			body.push([
				element('paragraph', [new Y.XmlText('outer'), paragraph('inner')]),
				new Y.XmlText('loose text') as unknown as Y.XmlElement,
				element('participant', [], { id: 'p-1', name: 'X' }),
				element('horizontalRule', [paragraph('inside a leaf')]),
				element('participants', [element('participant', [], { id: 'p-2', name: 'Y' })])
			])
		);
		expect(xml).toBe('<paragraph>outer</paragraph><horizontalrule></horizontalrule><participants><participant id="p-2" name="Y"></participant></participants>');
		expect(senderXml).toBe(xml);
		live.destroy();
	});

	it('removes formats that are no mark of the schema, attributes a mark does not have, marks the parent forbids, and embeds', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const { senderXml } = send(live, (body) => {
			const text = new Y.XmlText();
			const code = new Y.XmlText();
			body.push([element('paragraph', [text]), element('codeBlock', [code])]);
			text.insert(0, 'plain ');
			text.insert(6, 'bold', { bold: { onclick: 'x' } });
			text.insert(10, ' blink', { blink: {} });
			text.insert(16, ' ok', { italic: {} });
			text.insertEmbed(19, { image: 'x.png' });
			code.insert(0, 'let x', { bold: {} });
		});
		const json = jsonFromYDoc(live.doc);
		expect(json.content).toEqual([
			{
				type: 'paragraph',
				content: [
					{ type: 'text', text: 'plain ' },
					{ type: 'text', text: 'bold', marks: [{ type: 'bold', attrs: {} }] },
					{ type: 'text', text: ' blink' },
					{ type: 'text', text: ' ok', marks: [{ type: 'italic', attrs: {} }] }
				]
			},
			{ type: 'codeBlock', content: [{ type: 'text', text: 'let x' }] }
		]);
		expect(senderXml).toBe(live.doc.getXmlFragment(BODY_FRAGMENT).toString());
		live.destroy();
	});

	it('leaves content that was in the document before alone: a piece stored with an unknown element keeps it when a client edits beside it', () => {
		const stored = new Y.Doc();
		stored.getXmlFragment(BODY_FRAGMENT).push([element('image', [], { src: 'x.png' }), paragraph('old')]);
		const live = new LiveDocument('p', { update: Y.encodeStateAsUpdate(stored), updateRows: 0 }, () => {});
		const { xml } = send(live, (body) => body.push([paragraph('new')]));
		expect(xml).toBe('<image src="x.png"></image><paragraph>old</paragraph><paragraph>new</paragraph>');
		live.destroy();
	});

	it('passes a conforming update through untouched: echoed to the others only, nothing reported', () => {
		const live = new LiveDocument('p', { update: null, updateRows: 0 }, () => {});
		const toSender: Uint8Array[] = [];
		const sender = peer(toSender);
		live.peers.add(sender);
		const { update } = updateOf((body) => {
			const text = new Y.XmlText();
			body.push([element('qaBlock', [element('paragraph', [text])], { id: 'q1', kind: 'question', speaker: 'p-1' })]);
			text.insert(0, 'Varesh Daily', { citation: { sourceId: null, source: 'Varesh Daily', url: 'https://vareshdaily.example', date: 'May 1', qualifier: null } });
		});
		expect(live.applyClientUpdate(update, sender).conformance.size).toBe(0);
		expect(toSender).toHaveLength(0);
		live.destroy();
	});
});

describe('a piece stored before updates were conformed', () => {
	it('loses, when the server loads it, the marks the schema does not have but keeps their text (the browser editor would delete the whole text), stored like an edit', () => {
		const stored = new Y.Doc();
		const text = new Y.XmlText();
		stored.getXmlFragment(BODY_FRAGMENT).push([element('paragraph', [text]), element('image', [], { src: 'x.png' })]);
		text.insert(0, 'kept text', { blink: {}, italic: {} });
		text.insertEmbed(9, { image: 'x.png' });
		let changes = 0;
		const live = new LiveDocument('p', { update: Y.encodeStateAsUpdate(stored), updateRows: 0 }, () => changes++);
		const { log, messages: logged } = recordingLogger();
		repairOnLoad(live, log);
		const body = live.doc.getXmlFragment(BODY_FRAGMENT);
		expect(((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta()).toEqual([{ insert: 'kept text', attributes: { italic: {} } }]);
		expect(body.get(1)).toBeInstanceOf(Y.XmlElement); // elements are left to the readers, which skip them
		expect(changes).toBe(1); // one transaction, stored
		expect(logged).toEqual(['stored formats conformed to the editor schema']);
		repairOnLoad(live, log);
		expect(changes).toBe(1); // nothing left to do the second time
		live.destroy();
	});
});
