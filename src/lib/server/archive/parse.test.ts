import { describe, expect, it } from 'vitest';
import { bulletinIssue, secondIssue } from '../../../../tests/support/bulletin-issue';
import { editorSchema } from '../../editor/extensions';
import { ArchiveError, parseArchive } from './parse';
import { pieceCounts, pieceDigest } from './summary';
import { citationGroup, inlineJSON } from './inline';

const codeOf = (text: string) => {
	try {
		parseArchive(text);
		return null;
	} catch (err) {
		return err instanceof ArchiveError ? err.code : String(err);
	}
};

describe('reading an archived issue', () => {
	it('reads the masthead, with the volume in Roman numerals, and the contents with titles wrapped over lines', () => {
		const issue = parseArchive(bulletinIssue());
		expect(issue.masthead).toEqual({ publication: 'Basin Watch', tagline: 'Independent analysis of security and water in the Varesh Basin', volume: 7, number: 12 });
		expect(issue.contents).toEqual([
			{ page: 1, authors: ['Maren Holt'], title: 'BRIEFS' },
			{ page: 3, authors: ['Lucía Ferraro'], title: "The Amber Brigades' Campaign Against the River Wardens" },
			{ page: 6, authors: ['Kwame Adjei-Mensah'], title: 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar' },
			{ page: 7, authors: [], title: 'Basin Watch Interview With Dr. Anneli Varga' }
		]);
	});

	it('finds every piece in order with its kind, section, authors, bios and what its text holds', () => {
		const issue = parseArchive(bulletinIssue());
		expect(issue.pieces.map((p) => [p.kind, p.section, p.title, p.authors, p.bios.map((b) => b.name), pieceCounts(p.content)])).toEqual([
			['brief', 'BRIEFS', "Sabotage on the Varesh Canal Tests Talmar's New Water Pact", ['Maren Holt'], ['Maren Holt'], { paragraphs: 4, citations: 7, endnotes: 0, qaTurns: 0 }],
			['brief', 'BRIEFS', "Did the Drought Push Kessland's Herders Toward the Amber Brigades?", ['Maren Holt'], ['Maren Holt'], { paragraphs: 3, citations: 4, endnotes: 0, qaTurns: 0 }],
			['article', 'Articles', "The Amber Brigades' Campaign Against the River Wardens", ['Lucía Ferraro'], ['Lucía Ferraro'], { paragraphs: 6, citations: 9, endnotes: 5, qaTurns: 0 }],
			['article', 'Articles', 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar', ['Kwame Adjei-Mensah'], ['Kwame Adjei-Mensah'], { paragraphs: 3, citations: 3, endnotes: 0, qaTurns: 0 }],
			['interview', 'Interview', 'Basin Watch Interview With Dr. Anneli Varga', [], [], { paragraphs: 21, citations: 0, endnotes: 0, qaTurns: 12 }]
		]);
		for (const p of issue.pieces) expect(() => editorSchema.nodeFromJSON(p.content).check()).not.toThrow();
	});

	it('joins a sentence a page break cut, and drops page markers, never making a paragraph of them', () => {
		const first = pieceDigest(parseArchive(bulletinIssue()).pieces[0].content);
		expect(first.paragraphs[1]).toContain('written threats in January that named the pact');
		const second = parseArchive(secondIssue());
		expect(second.warnings).toContain('Dropped 1 page marker or running head in the body');
		const quiet = pieceDigest(second.pieces[1].content).paragraphs;
		expect(quiet).toHaveLength(2);
		expect(quiet[1]).toContain('there was little water worth stealing');
		expect(second.pieces.flatMap((p) => pieceDigest(p.content).paragraphs).filter((t) => /^p\.\d|^\p{Ll}/u.test(t))).toEqual([]);
	});

	it('makes citation marks of both forms, several in one pair of parentheses, and endnotes with their Notes', () => {
		const article = parseArchive(bulletinIssue()).pieces[2];
		const d = pieceDigest(article.content);
		expect(d.citations.slice(0, 2)).toEqual([
			{ source: 'Basin Wire', url: null, qualifier: null, date: 'February 27' },
			{ source: 'Varesh Daily', url: null, qualifier: null, date: 'February 28' }
		]);
		expect(d.citations).toContainEqual({ source: 'Varesh Daily', url: 'https://vareshdaily.example/news/4390', qualifier: null, date: 'January 8' });
		expect(d.citations).toContainEqual({ source: 'The Lowland Herald', url: null, qualifier: null, date: 'December 3, 2023' });
		expect(d.endnotes[1]).toBe('"Who Opens the Gates?" [Talmari], Amber Brigades Council, November 2023.');
		expect(d.paragraphs).toContain("The Brigades' Case Against the Wardens");
		expect(article.content.content?.filter((n) => n.type === 'heading').map((n) => n.content?.[0].text)).toEqual(["The Brigades' Case Against the Wardens", "The Brigades' Quarrel With Kessland"]);
		expect(d.paragraphs.join(' ')).toContain('the $40 million contract');
		expect(citationGroup('[The Nerovia Courier](#) [Nerovia], February 26')).toEqual([{ source: 'The Nerovia Courier', url: null, qualifier: 'Nerovia', date: 'February 26' }]);
	});

	it('reads the interview as participants named from the masthead and the title, the italic lead-in and the turns', () => {
		const interview = parseArchive(bulletinIssue()).pieces[4];
		const participants = interview.content.content?.[0].content?.map((p) => [p.attrs?.label, p.attrs?.name, p.attrs?.role]);
		expect(participants).toEqual([
			['BW', 'Basin Watch', 'interviewer'],
			['AV', 'Anneli Varga', 'interviewee']
		]);
		const leadIn = interview.content.content?.[1];
		expect(leadIn?.type).toBe('leadIn');
		expect(leadIn?.content?.filter((n) => n.marks?.some((m) => m.type === 'italic')).map((n) => n.text)).toEqual(['Basin Watch ', 'Rivers Without Borders', "The Warden's Ledger"]);
		const turns = pieceDigest(interview.content).qaTurns;
		expect(turns[0]).toMatch(/^BW: Could the pact's 'success,'/);
		expect(turns[1]).toContain('a close arrangement [with either] might read locally');
		expect(turns[1]).toContain('before next spring, so the extra money');
	});

	it('reads a second issue: two bylines in one, a bio for each, a qualified citation, two interviews', () => {
		const issue = parseArchive(secondIssue());
		expect(issue.masthead).toMatchObject({ volume: 19, number: 3 });
		expect(issue.pieces.map((p) => [p.kind, p.title, p.authors])).toEqual([
			['brief', 'Kessland Opens the Data Centre to Reporters', ['Maren Holt']],
			['brief', 'A Quiet Spring Release on the Sorrin', ['Tomas Reyes']],
			['article', "Who Guards the Gauges? The Wardens' Union After the Halm Weir", ['Lucía Ferraro', 'Ines Okafor']],
			['interview', 'Basin Watch Interview With Jonas Tamm', []],
			['interview', 'Basin Watch Interview With Rafaela Kim', []]
		]);
		expect(issue.pieces[2].bios.map((b) => b.text)).toEqual([
			'Lucía Ferraro is a research fellow at the Kessland Institute of Hydrology.',
			"Ines Okafor is a former warden of the Kessel Hills gauges and an adviser to the wardens' union."
		]);
		expect(pieceDigest(issue.pieces[2].content).citations[1]).toEqual({ source: 'The Nerovia Courier', url: null, qualifier: 'Nerovia', date: 'September 15' });
		expect(pieceDigest(issue.pieces[4].content).qaTurns.map((t) => t.slice(0, 3))).toEqual(['BW:', 'RK:', 'BW:', 'RK:']);
	});

	it('refuses what is no issue, saying why: empty, binary, no masthead, a masthead but no pieces, too large', () => {
		expect(codeOf('')).toBe('empty');
		expect(codeOf('  \n\n ')).toBe('empty');
		expect(codeOf('%PDF-1.7\u0000\u0001\u0002\u0003binary')).toBe('binary');
		expect(codeOf('BW: Why?\n\nAV: Because.')).toBe('not_an_issue');
		expect(codeOf('Basin Watch\n\nVOLUME VII, ISSUE 12\n\np.1\n\nMaren Holt\n\nBRIEFS\n')).toBe('no_pieces');
		expect(codeOf('Basin Watch\n\nVOLUME VII, ISSUE 12\n\n' + 'x'.repeat(5 * 1024 * 1024))).toBe('too_large');
	});

	it('keeps brackets typed in the text and a stray asterisk as text', () => {
		expect(inlineJSON('a [with either] b * c')).toEqual([{ type: 'text', text: 'a [with either] b * c' }]);
	});
});

describe('a section name standing in the body', () => {
	it('heads the pieces below it: "BRIEFS" above the briefs is their section, not a piece', () => {
		const text = bulletinIssue().replace("\n\nSabotage on the Varesh Canal Tests Talmar's New Water Pact\n\nMaren Holt\n\n", "\n\nBRIEFS\n\nSabotage on the Varesh Canal Tests Talmar's New Water Pact\n\nMaren Holt\n\n");
		expect(text).not.toBe(bulletinIssue());
		const issue = parseArchive(text);
		expect(issue.pieces.map((p) => [p.kind, p.section])).toEqual([
			['brief', 'BRIEFS'],
			['brief', 'BRIEFS'],
			['article', 'Articles'],
			['article', 'Articles'],
			['interview', 'Interview']
		]);
	});
});
