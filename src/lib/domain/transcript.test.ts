import { describe, expect, it } from 'vitest';
import { MAX_TRANSCRIPT_BYTES, TRANSCRIPT_BINARY_MESSAGE, TRANSCRIPT_EMPTY_MESSAGE, parseTranscript, suggestRoles, TranscriptError } from './transcript';
import { bulletinInterview, bulletinIssue, hasReferenceSample, referenceInterview, referenceSample } from '../../../tests/support/bulletin-issue';
import { expectedInterview, expectError, shape, withoutMasthead } from '../../../tests/support/transcript-assertions';

// ---------------------------------------------------------------------------------------------
// The bulletin's interview (tests/fixtures/bulletin-issue.txt)

describe('the Basin Watch interview with Dr. Anneli Varga', () => {
	it('gives 12 blocks alternating BW and AV, 6 questions and 6 answers', () => {
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks).toHaveLength(12);
		expect(p.blocks.map((b) => b.speakerLabel)).toEqual(
			Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'BW' : 'AV'))
		);
		expect(p.labels).toEqual([
			{ label: 'BW', count: 6, firstLine: 3 },
			{ label: 'AV', count: 6, firstLine: 5 }
		]);
		expect(p.blocks.every((b) => b.timestamp === null)).toBe(true);
	});

	it('keeps the italic lead-in paragraph verbatim', () => {
		const p = parseTranscript(bulletinInterview());
		const firstLine = bulletinInterview().split(/\r?\n/)[0];
		expect(firstLine.startsWith('Basin Watch *spoke with Dr. Anneli Varga, author of *Rivers Without Borders*')).toBe(true);
		expect(firstLine.endsWith('condensed and edited for clarity.*')).toBe(true);
		// The markers do not wrap the whole paragraph (it opens with roman "Basin Watch "), so
		// nothing is stripped: removing only the trailing '*' would unbalance the inner italics.
		expect(p.leadIn).toEqual([firstLine]);
	});

	it('gives every block exactly the text of its source paragraphs', () => {
		const text = bulletinInterview();
		const p = parseTranscript(text);
		const expected = expectedInterview(text);
		expect(expected.blocks).toHaveLength(12); // the independent reading agrees on the shape
		expect(p.leadIn).toEqual(expected.leadIn);
		expect(p.blocks.map((b) => ({ label: b.speakerLabel, paragraphs: b.paragraphs }))).toEqual(expected.blocks);
		// Joined text, compared exactly, block by block and as a whole.
		for (let i = 0; i < 12; i++) {
			expect(p.blocks[i].paragraphs.join('\n\n')).toBe(expected.blocks[i].paragraphs.join('\n\n'));
		}
		const rebuilt = p.blocks.map((b) => `${b.speakerLabel}: ${b.paragraphs.join('\n\n')}`).join('\n\n');
		const source = text
			.split(/\r?\n/)
			.slice(2)
			.filter((l) => l.trim() !== '')
			.join('\n\n');
		expect(rebuilt).toBe(source);
	});

	it('keeps continuation paragraphs, including ones broken mid-sentence by a page break, in their answer', () => {
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks.map((b) => b.paragraphs.length)).toEqual([1, 4, 1, 3, 1, 3, 1, 1, 1, 4, 1, 2]);

		const a1 = p.blocks[1].paragraphs;
		expect(a1[0].startsWith('The gauging network on its own will not recruit anyone;')).toBe(true);
		expect(a1[2].endsWith('many more salaries before next spring,')).toBe(true);
		expect(a1[3]).toBe('so the extra money would have to be found elsewhere, most likely among farmers who buy the water the pact no longer allows them to draw.');

		const a5 = p.blocks[9].paragraphs;
		expect(a5[0].endsWith('rather than its trade, largely because of')).toBe(true);
		expect(a5[1]).toBe('the money: the families still control most of it.');

		const last = bulletinInterview().trimEnd().split('\n').pop()!;
		expect(p.blocks[11].paragraphs[1]).toBe(last);
	});

	it('keeps brackets, quotes and dashes inside the text unchanged', () => {
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks[4].paragraphs[0]).toMatch(/^The attack on the Halm weir \[on December 2\] was, in hindsight, predictable; which/);
		expect(p.blocks[4].timestamp).toBeNull();
		expect(p.blocks[1].paragraphs[1]).toContain('a close arrangement [with either] might read locally');
		expect(p.blocks[0].paragraphs[0]).toMatch(/^Could the pact's 'success,' with its/);
		expect(p.blocks[9].paragraphs[2]).toContain('the spokesman, "Tamas of the Salt Road," against');
		expect(p.blocks[8].paragraphs[0]).toContain('the old salt-road families');
	});

	it('gives 1-based source line numbers', () => {
		const lines = bulletinInterview().split(/\r?\n/);
		const p = parseTranscript(bulletinInterview());
		for (const b of p.blocks) {
			expect(lines[b.line - 1].startsWith(`${b.speakerLabel}: `)).toBe(true);
		}
		expect(p.blocks.map((b) => b.line)).toEqual([3, 5, 13, 15, 21, 23, 29, 31, 33, 35, 43, 45]);
	});

	it('finds no false speakers in the rest of the issue (the whole file, masthead removed, parses to the same 12 blocks)', () => {
		const whole = parseTranscript(withoutMasthead(bulletinIssue()));
		const interview = parseTranscript(bulletinInterview());
		expect(shape(whole)).toEqual(shape(interview));
		expect(whole.labels.map((l) => l.label)).toEqual(['BW', 'AV']);
		const offset = bulletinIssue().slice(0, bulletinIssue().indexOf(bulletinInterview())).split('\n').length - 1;
		expect(whole.blocks.map((b) => b.line)).toEqual(interview.blocks.map((b) => b.line + offset));
		expect(whole.leadIn.at(-2)).toBe('Basin Watch Interview With Dr. Anneli Varga');
		expect(whole.leadIn.at(-1)).toBe(interview.leadIn[0]);
	});

	it('gives the same result with Windows line endings and a BOM', () => {
		const lf = parseTranscript(bulletinInterview());
		const crlf = parseTranscript('\uFEFF' + bulletinInterview().replace(/\r?\n/g, '\r\n'));
		expect(crlf).toEqual(lf);
	});

	it('suggests BW as interviewer and AV as interviewee', () => {
		expect(suggestRoles(parseTranscript(bulletinInterview()))).toEqual({ BW: 'interviewer', AV: 'interviewee' });
	});
});

// ---------------------------------------------------------------------------------------------
// The reference sample, an extra check where it lies beside the repository

describe('the interview of the reference sample (when the reference sample is present)', () => {
	it.runIf(hasReferenceSample)('parses to alternating question and answer blocks with exactly the text of its paragraphs (when the reference sample is present)', () => {
		const { text, labels } = referenceInterview();
		const p = parseTranscript(text);
		const expected = expectedInterview(text, labels);
		expect(p.labels.map((l) => l.label)).toEqual(labels);
		expect(p.blocks.map((b) => b.speakerLabel)).toEqual(p.blocks.map((_, i) => labels[i % 2]));
		expect(p.leadIn).toEqual(expected.leadIn);
		expect(p.blocks.map((b) => ({ label: b.speakerLabel, paragraphs: b.paragraphs }))).toEqual(expected.blocks);
		expect(suggestRoles(p)).toEqual({ [labels[0]]: 'interviewer', [labels[1]]: 'interviewee' });
	});

	it.runIf(hasReferenceSample)('finds no false speakers in the rest of the issue (when the reference sample is present)', () => {
		const { text } = referenceInterview();
		const whole = parseTranscript(withoutMasthead(referenceSample()));
		expect(shape(whole)).toEqual(shape(parseTranscript(text)));
	});
});

// ---------------------------------------------------------------------------------------------
// Paragraphs and whitespace

describe('paragraphs, continuation lines and whitespace', () => {
	it('joins consecutive lines with one space and splits paragraphs on blank lines', () => {
		const p = parseTranscript('AV: one\ntwo\n   three   \n\n\n\nfour\n \t \nfive');
		expect(shape(p)).toEqual([['AV', ['one two three', 'four', 'five'], null]]);
	});

	it('keeps inner whitespace of a line but trims tabs and nbsp at paragraph edges', () => {
		const p = parseTranscript('AV:\t\u00a0 a  b\t\tc \u00a0\n\u00a0\td   e\u00a0');
		expect(p.blocks[0].paragraphs).toEqual(['a  b\t\tc d   e']);
	});

	it('handles CRLF, lone CR and a BOM', () => {
		const expected = [['BW', ['Hi there'], null], ['AV', ['Hello', 'Again'], null]];
		expect(shape(parseTranscript('\uFEFFBW: Hi\r\nthere\r\nAV: Hello\r\n\r\nAgain\r\n'))).toEqual(expected);
		expect(shape(parseTranscript('BW: Hi\rthere\rAV: Hello\r\rAgain'))).toEqual(expected);
	});

	it('collects everything before the first label as the lead-in, stripping surrounding italics', () => {
		const p = parseTranscript('*We spoke to the author.*\n\n_Edited for length._\n\nPlain intro\nover two lines.\n\nBW: Go.');
		expect(p.leadIn).toEqual(['We spoke to the author.', 'Edited for length.', 'Plain intro over two lines.']);
	});

	it('leaves the lead-in alone when the markers do not wrap a single italic span', () => {
		const p = parseTranscript('*One* and *two*\n\n**Bold lead**\n\n*Unclosed lead\n\nBW: Go.');
		expect(p.leadIn).toEqual(['*One* and *two*', '**Bold lead**', '*Unclosed lead']);
	});

	it('has an empty lead-in when the transcript starts with a label', () => {
		expect(parseTranscript('BW: Go.').leadIn).toEqual([]);
	});

	it('never interprets HTML or Markdown in the text', () => {
		const html = '<script>alert("x")</script> <img src=x onerror=alert(1)> &amp; &lt;b&gt;';
		const md = '**bold** _it_ [link](javascript:alert(1)) `code` # not a heading';
		const p = parseTranscript(`BW: ${html}\n\nAV: ${md}\n<b>still AV</b>`);
		expect(shape(p)).toEqual([
			['BW', [html], null],
			['AV', [`${md} <b>still AV</b>`], null]
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Hostile input

describe('hostile input', () => {
	it('rejects empty and whitespace-only text', () => {
		for (const raw of ['', '   ', '\n\n\t\r\n', '\uFEFF', '\uFEFF \u00a0\n']) {
			const e = expectError(raw, 'empty');
			expect(e.message).toBe(TRANSCRIPT_EMPTY_MESSAGE);
		}
	});

	it('rejects text with NUL bytes as binary', () => {
		const e = expectError('BW: hello\u0000world\nAV: hi', 'binary');
		expect(e.message).toBe(TRANSCRIPT_BINARY_MESSAGE);
	});

	it('rejects bytes decoded as text (control and replacement characters) as binary', () => {
		// What a PNG/ZIP looks like after a lossy UTF-8 decode.
		const bytes = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x80, 0x81];
		const decoded = new TextDecoder().decode(new Uint8Array(bytes.concat(bytes, bytes))).replace(/\0/g, '');
		expectError(`BW: ${decoded}`, 'binary');
		expectError('BW: ' + '\uFFFD'.repeat(20) + 'abc', 'binary');
	});

	it('draws the binary line at 10% control characters', () => {
		const text = 'BW: ' + 'a'.repeat(86); // 90 chars
		expectError(text + '\u0001'.repeat(11), 'binary'); // 11 / 101 > 10%
		expect(parseTranscript(text + '\u0001'.repeat(10)).blocks).toHaveLength(1); // 10 / 100 is not > 10%
		// Tabs, form feeds and line breaks are ordinary whitespace.
		expect(parseTranscript('BW:\t\t\t\t\fa\n\n\n\n\n\nb\t\t\t').blocks[0].paragraphs).toEqual(['a', 'b']);
	});

	it('rejects more than 5 MiB of text and states the limit', () => {
		expect(MAX_TRANSCRIPT_BYTES).toBe(5 * 1024 * 1024);
		const sixMiB = 'BW: ' + 'a'.repeat(6 * 1024 * 1024);
		const e = expectError(sixMiB, 'too_large');
		expect(e.message).toMatch(/5 MiB/);
	});

	it('measures the limit in UTF-8 bytes, not UTF-16 units', () => {
		// 2,000,000 euro signs: 2 M code units but 6 M bytes.
		expectError('BW: ' + '\u20ac'.repeat(2_000_000), 'too_large');
		// 1,300,000 emoji: 2.6 M code units, 5.2 M bytes (4 each), just under the limit.
		const p = parseTranscript('BW: ' + '\u{1F600}'.repeat(1_300_000));
		expect(p.blocks[0].paragraphs[0].length).toBe(2_600_000);
		expectError('BW: ' + '\u{1F600}'.repeat(1_311_000), 'too_large');
	});

	it('accepts exactly the limit', () => {
		const raw = 'BW: ' + 'a'.repeat(MAX_TRANSCRIPT_BYTES - 4);
		expect(parseTranscript(raw).blocks).toHaveLength(1);
		expectError(raw + 'a', 'too_large');
	});

	it('rejects text without speaker labels, with a helpful message', () => {
		const e = expectError('Just an article.\n\nWith two paragraphs: and a colon.', 'no_speakers');
		expect(e.message).toBe("No speaker labels found. Label each turn like 'BW: …' or 'Anneli Varga: …'.");
	});

	it('throws a proper Error subclass', () => {
		const e = expectError('', 'empty');
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('TranscriptError');
	});

	it('copes with many short lines and long lines quickly', () => {
		const turns = Array.from({ length: 20_000 }, (_, i) => `${i % 2 ? 'AV' : 'BW'}: turn ${i}`).join('\n');
		const start = performance.now();
		const p = parseTranscript(turns + '\n' + 'x: '.repeat(200_000));
		expect(p.blocks).toHaveLength(20_000);
		// Long runs of inner whitespace, stars and colons (inputs that make naive trim/label regexes backtrack).
		const q = parseTranscript(
			'AV: a' + ' '.repeat(300_000) + 'b' + '\t'.repeat(300_000) + 'c\n' + '**' + 'x'.repeat(500_000) + '\n' + 'A'.repeat(60) + ':'.repeat(100_000)
		);
		expect(q.blocks).toHaveLength(1);
		expect(q.blocks[0].paragraphs[0].length).toBe(600_003 + 1 + 500_002 + 1 + 100_060);
		expect(performance.now() - start).toBeLessThan(5_000);
	});
});

// ---------------------------------------------------------------------------------------------
// Roles

describe('suggestRoles', () => {
	const roles = (raw: string) => suggestRoles(parseTranscript(raw));

	it('makes the first speaker the interviewer by default', () => {
		expect(roles('Speaker 1: a\nSpeaker 2: b\nSpeaker 3: c\nSpeaker 1: d')).toEqual({
			'Speaker 1': 'interviewer',
			'Speaker 2': 'interviewee',
			'Speaker 3': 'interviewee'
		});
		expect(roles('Anneli Varga: I start.\nBW: Then me.')).toEqual({
			'Anneli Varga': 'interviewer',
			BW: 'interviewee'
		});
	});

	it('recognises Q and Interviewer even when they do not speak first', () => {
		expect(roles('A: answer first\nQ: question')).toEqual({ A: 'interviewee', Q: 'interviewer' });
		expect(roles('Anneli Varga: hello\nInterviewer: welcome')).toEqual({
			'Anneli Varga': 'interviewee',
			Interviewer: 'interviewer'
		});
	});

	it('gives every label a role', () => {
		const p = parseTranscript(bulletinInterview());
		expect(Object.keys(suggestRoles(p)).sort()).toEqual(p.labels.map((l) => l.label).sort());
	});
});

// ---------------------------------------------------------------------------------------------
// A whole bulletin issue pasted as a transcript

describe('a whole bulletin issue', () => {
	it('is refused as one (masthead, contents, several pieces) and pointed to the issue import, with the line its interview starts on', () => {
		const e = expectError(bulletinIssue(), 'whole_issue');
		expect(e.message).toContain('whole bulletin issue (VOLUME VII, ISSUE 12');
		expect(e.message).toContain('Whole issues are imported with the issue import');
		expect(e.message).toContain('its first turn (BW:) is on line 120');
	});

	it('is recognised without an interview in it, and with CRLF line endings and a BOM', () => {
		const frontMatter = bulletinIssue().slice(0, bulletinIssue().indexOf(bulletinInterview()));
		expect(expectError(frontMatter, 'whole_issue').message).not.toContain('first turn');
		expectError('\uFEFF' + bulletinIssue().replace(/\n/g, '\r\n'), 'whole_issue');
	});

	it('knows other masthead spellings: "Volume 3, Issue 4", "VOL. VII, NO. 12"', () => {
		for (const masthead of ['Volume 3, Issue 4', 'VOL. VII, NO. 12', 'VOLUME VII ISSUE 12']) {
			expectError(`Basin Watch\n\n${masthead}\n\np.1\n\nBriefs\n\np.3\n\nAn article\n\nBW: Why?\n\nAV: Because.`, 'whole_issue');
		}
	});

	it('is not confused with an interview whose lead-in names the issue in a sentence, or has a masthead but no contents', () => {
		const sentence = parseTranscript('Basin Watch spoke with Dr. Anneli Varga for Volume VII, Issue 12.\n\nBW: Why?\n\nAV: Because.');
		expect(sentence.blocks).toHaveLength(2);
		const mastheadOnly = parseTranscript('Basin Watch\n\nVOLUME VII, ISSUE 12\n\nA short lead-in.\n\nBW: Why?\n\nAV: Because.');
		expect(mastheadOnly.blocks).toHaveLength(2);
		// A masthead-like line inside the interview (after its first turn) is the interview's text.
		const inside = parseTranscript('BW: Which issue?\n\nVOLUME VII, ISSUE 12\n\np.1\n\np.3\n\nAV: That one.');
		expect(inside.blocks).toHaveLength(2);
	});
});
