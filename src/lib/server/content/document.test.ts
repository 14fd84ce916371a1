// A piece stored before client updates were conformed to the editor schema may hold elements, attributes
// and marks the schema does not have: reading it skips them (and logs what it skipped, once per read).
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { BODY_FRAGMENT, jsonFromYjsState } from './document';
import { renderContent } from './render';
import { projectContent } from '../../editor/projection';
import { logger } from '../log';

function element(name: string, children: (Y.XmlElement | Y.XmlText)[] = [], attrs: Record<string, unknown> = {}): Y.XmlElement {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	el.insert(0, children);
	return el;
}

/** A stored state holding, beside a real interview turn and citation, what a stock Yjs client could write. */
function storedWithUnknownContent(): Uint8Array {
	const doc = new Y.Doc();
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	const cited = new Y.XmlText();
	const marked = new Y.XmlText();
	body.push([
		element('participants', [element('participant', [], { id: 'p-1', name: 'Anneli Varga', label: 'AV', role: 'interviewee' })]),
		element('script', [new Y.XmlText('alert(1)')]),
		element('qaBlock', [element('paragraph', [cited])], { id: 'q1', kind: 'answer', speaker: 'p-1', onclick: 'alert(1)' }),
		element('paragraph', [new Y.XmlText('see '), element('image', [], { src: 'javascript:alert(1)' }), element('iframe')]),
		element('paragraph', [marked]),
		element('paragraph', [element('paragraph', [new Y.XmlText('nested')])]),
		new Y.XmlText('loose') as unknown as Y.XmlElement,
		element('heading', [new Y.XmlText('Huge')], { level: 1_000_000_000 })
	]);
	cited.insert(0, 'They said so ');
	cited.insert(13, 'Varesh Daily', { citation: { sourceId: null, source: 'Varesh Daily', url: 'https://vareshdaily.example/x', date: 'May 1', qualifier: null, onmouseover: 'x' } });
	marked.insert(0, 'flashing', { blink: {}, bold: {} });
	marked.insertEmbed(8, { image: 'x.png' });
	doc.getArray('elsewhere').push(['not the body']);
	// a list of the body holding a plain string, as a client can write into any root type
	const raw = new Y.Doc();
	Y.applyUpdate(raw, Y.encodeStateAsUpdate(doc));
	raw.getText(BODY_FRAGMENT); // read `body` as text: the string goes into the same list
	raw.getText(BODY_FRAGMENT).insert(0, 'stray');
	return Y.encodeStateAsUpdate(raw);
}

describe('reading a stored piece that holds content the editor schema does not have', () => {
	afterEach(() => vi.restoreAllMocks());

	it('skips it in JSON, Markdown, HTML and the projections, and logs what it skipped once, with the piece id', async () => {
		const log = vi.spyOn(logger, 'warn').mockImplementation(() => {});
		const json = jsonFromYjsState(storedWithUnknownContent(), 'piece-1');
		expect(log).toHaveBeenCalledTimes(1);
		const logged = log.mock.calls[0][0] as unknown as { pieceId: string; skipped: Record<string, number> };
		expect(logged.pieceId).toBe('piece-1');
		expect(logged.skipped).toMatchObject({ 'element script': 1, 'element image': 1, 'element iframe': 1, 'unknown mark blink': 1, 'embed in a text': 1 });

		expect(json.content!.map((n) => n.type)).toEqual(['participants', 'qaBlock', 'paragraph', 'paragraph', 'paragraph', 'heading']);
		expect(JSON.stringify(json)).not.toMatch(/script|image|iframe|blink|onclick|onmouseover|nested|loose|stray/);
		expect(json.content![3]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'flashing', marks: [{ type: 'bold', attrs: {} }] }] });

		const markdown = (await renderContent(json, 'markdown')).body;
		expect(markdown).toContain('AV: They said so ([Varesh Daily](https://vareshdaily.example/x), May 1)');
		expect(markdown).toContain('## Huge');
		const html = (await renderContent(json, 'html')).body;
		expect(html).not.toMatch(/<script|<img|<iframe|\son\w+=|javascript:/i);
		expect(html).toContain('Varesh Daily');
		expect(JSON.parse((await renderContent(json, 'json')).body)).toEqual(json);

		const rows = projectContent(json);
		expect(rows.citations).toEqual([{ position: 0, sourceName: 'Varesh Daily', url: 'https://vareshdaily.example/x', dateText: 'May 1' }]);
		expect(rows.qa.map((q) => [q.speaker, q.text])).toEqual([['AV', 'They said so Varesh Daily']]);
	});

	it('reads a conforming piece without logging anything', () => {
		const log = vi.spyOn(logger, 'warn').mockImplementation(() => {});
		const doc = new Y.Doc();
		doc.getXmlFragment(BODY_FRAGMENT).push([element('paragraph', [new Y.XmlText('fine')])]);
		expect(jsonFromYjsState(Y.encodeStateAsUpdate(doc), 'p')).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'fine' }] }] });
		expect(log).not.toHaveBeenCalled();
	});
});
