import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { renderDiff } from './diff-render';
import { interviewDocument } from '../../../../tests/support/interview-document';

const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const t = (text: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text, ...(marks ? { marks } : {}) });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const turn = (id: string, speaker: string, text: string): JSONContent => ({ type: 'qaBlock', attrs: { id, kind: speaker === 'p-bw' ? 'question' : 'answer', speaker }, content: [p(t(text))] });
const cite = (source: string, date: string): JSONContent => t(source, [{ type: 'citation', attrs: { sourceId: null, source, url: 'https://example.org/news', date, qualifier: null } }]);
const note = (text: string): JSONContent => ({ type: 'endnote', attrs: { id: 'n1' }, content: [t(text)] });

describe('renderDiff', () => {
	it('marks the words inserted and deleted inside a paragraph, and leaves unchanged paragraphs unmarked', () => {
		const from = doc(p(t('The dam holds the river in spring.')), p(t('Herders move south.')));
		const to = doc(p(t('The new dam holds the river in winter.')), p(t('Herders move south.')));
		const { html, insertions, deletions } = renderDiff(from, to);
		expect(html).toContain('<ins>new </ins>');
		expect(html).toContain('<del>spring</del>');
		expect(html).toContain('<ins>winter</ins>');
		expect(html).toContain('<p>Herders move south.</p>');
		expect(insertions).toBeGreaterThanOrEqual(2);
		expect(deletions).toBe(1);
	});

	it('shows a paragraph added and one removed as whole blocks', () => {
		const from = doc(p(t('The river rose overnight.')), p(t('Ferries stopped at noon.')));
		const to = doc(p(t('The river rose overnight.')), p(t('Pastures flooded along the delta.')));
		const { html } = renderDiff(from, to);
		expect(html).toContain('<p data-diff="deleted"><del>Ferries stopped at noon.</del></p>');
		expect(html).toContain('<p data-diff="inserted"><ins>Pastures flooded along the delta.</ins></p>');
	});

	it('shows a Q&A turn added or removed whole, with its speaker', () => {
		const from = interviewDocument([turn('q1', 'p-bw', 'Where do the herders go?'), turn('a1', 'p-av', 'South, to the delta.'), turn('q2', 'p-bw', 'And the dam?')]);
		const to = interviewDocument([turn('q1', 'p-bw', 'Where do the herders go?'), turn('q2', 'p-bw', 'And the dam?'), turn('a2', 'p-av', 'It holds back the spring flood.')]);
		const { html } = renderDiff(from, to);
		expect(html).toMatch(/<section[^>]*data-diff="deleted"[^>]*><p[^>]*><del><strong class="qa-label">AV:<\/strong> <\/del><del>South, to the delta.<\/del><\/p><\/section>/);
		expect(html).toMatch(/<section[^>]*data-diff="inserted"[^>]*><p[^>]*><ins><strong class="qa-label">AV:<\/strong> <\/ins><ins>It holds back the spring flood.<\/ins><\/p><\/section>/);
		expect(html).toContain('<strong class="qa-label">BW:</strong> Where do the herders go?');
	});

	it('deletes a citation whose date changed and inserts the new one whole', () => {
		const from = doc(p(t('Water levels fell '), cite('Varesh Daily', 'March 12'), t(' in the north.')));
		const to = doc(p(t('Water levels fell '), cite('Varesh Daily', 'March 14'), t(' in the north.')));
		const { html } = renderDiff(from, to);
		expect(html).toMatch(/<del>\(<\/del><del><a [^>]*>Varesh Daily<\/a><\/del><del>, March 12\)<\/del>/);
		expect(html).toMatch(/<ins>\(<\/ins><ins><a [^>]*>Varesh Daily<\/a><\/ins><ins>, March 14\)<\/ins>/);
	});

	it('marks an endnote’s changed text inside its note', () => {
		const from = doc(p(t('The reservoir is low.'), note('Figures from the basin authority, May.')));
		const to = doc(p(t('The reservoir is low.'), note('Figures from the basin authority, June.')));
		const { html } = renderDiff(from, to);
		expect(html).toContain('<sup class="endnote-ref" data-endnote="">[1]</sup>');
		expect(html).toMatch(/<p class="endnote">\[1\] Figures from the basin authority, <del>May.?<\/del><ins>June.?<\/ins>/);
	});

	it('diffs a turn edited in place inside it, its speaker’s label written once and unmarked', () => {
		const from = interviewDocument([turn('a1', 'p-av', 'The herders leave in May.')]);
		const to = interviewDocument([turn('a1', 'p-av', 'The herders leave in June.')]);
		const { html } = renderDiff(from, to);
		expect(html).toContain('<p><strong class="qa-label">AV:</strong> The herders leave in <del>May</del><ins>June</ins>.</p>');
		expect(html.match(/qa-label/g)).toHaveLength(1);
	});

	it('shows a turn whose speaker changed as one turn deleted and another inserted', () => {
		const from = interviewDocument([turn('t1', 'p-bw', 'Who opens the weir?')]);
		const to = interviewDocument([turn('t1', 'p-av', 'Who opens the weir?')]);
		const { html, insertions, deletions } = renderDiff(from, to);
		expect(html).toMatch(/data-diff="deleted".*BW:.*data-diff="inserted".*AV:/);
		expect([insertions, deletions]).toEqual([1, 1]);
	});

	it('marks words inside a list item and a heading, keeping their structure', () => {
		const list = (text: string): JSONContent => ({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('Gauges at Halm'))] }, { type: 'listItem', content: [p(t(text))] }] });
		const heading = (text: string): JSONContent => ({ type: 'heading', attrs: { level: 2, id: 'h-dams' }, content: [t(text)] });
		const { html } = renderDiff(doc(heading('The dams'), list('Gauges at Orun')), doc(heading('The upstream dams'), list('Gauges at Orun weir')));
		expect(html).toContain('<h2 data-id="h-dams" id="h-dams">The <ins>upstream </ins>dams</h2>');
		expect(html).toContain('<ul><li><p>Gauges at Halm</p></li><li><p>Gauges at Orun<ins> weir</ins></p></li></ul>');
	});

	it('marks an endnote added whole, with its note', () => {
		const { html, insertions } = renderDiff(doc(p(t('The reservoir is low.'))), doc(p(t('The reservoir is low.'), note('Basin authority, May.'))));
		expect(html).toContain('<ins><sup class="endnote-ref" data-endnote="">[1]</sup></ins>');
		expect(html).toContain('<p class="endnote" data-diff="inserted"><ins>[1]</ins> <ins>Basin authority, May.</ins></p>');
		expect(insertions).toBe(1);
	});

	it('escapes the text it writes', () => {
		const { html } = renderDiff(doc(p(t('a < b'))), doc(p(t('a < b & <script>'))));
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;');
	});

	it('marks nothing when the texts are the same', () => {
		const same = doc(p(t('The delta is quiet.')));
		expect(renderDiff(same, same)).toEqual({ html: '<p>The delta is quiet.</p>', insertions: 0, deletions: 0 });
	});
});
