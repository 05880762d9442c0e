/** XML 1.0 character classes: names, references, allowed characters and white space. */

/** A regular-expression class from code-point ranges (built, so that no literal joiner or combining mark sits in the source). */
function charClass(ranges: Array<[number, number]>): string {
	const escape = (code: number) => `\\u{${code.toString(16)}}`;
	return ranges
		.map(([from, to]) => (from === to ? escape(from) : `${escape(from)}-${escape(to)}`))
		.join('');
}
const NAME_START = `A-Za-z_${charClass([
	[0xc0, 0xd6],
	[0xd8, 0xf6],
	[0xf8, 0x2ff],
	[0x370, 0x37d],
	[0x37f, 0x1fff],
	[0x200c, 0x200d],
	[0x2070, 0x218f],
	[0x2c00, 0x2fef],
	[0x3001, 0xd7ff],
	[0xf900, 0xfdcf],
	[0xfdf0, 0xfffd],
	[0x10000, 0xeffff],
])}`;
const NAME_CHAR = `${NAME_START}\\-.0-9${charClass([
	[0xb7, 0xb7],
	[0x300, 0x36f],
	[0x203f, 0x2040],
])}`;
/** A name with colons allowed (XML 1.0); namespace rules are checked after. */
export const NAME = new RegExp(`[${NAME_START}:][${NAME_CHAR}:]*`, 'uy');
export const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
/** Candidates for a character XML 1.0 refuses: C0 controls other than tab/LF/CR, U+FFFE/FFFF and surrogates (fine in pairs). */
const SUSPECT_CHAR = new RegExp(
	`[${charClass([
		[0x0, 0x8],
		[0xb, 0xc],
		[0xe, 0x1f],
		[0xd800, 0xdfff],
		[0xfffe, 0xffff],
	]).replace(/\\u\{([0-9a-f]+)\}/g, (_, hex: string) => `\\u${hex.padStart(4, '0')}`)}]`,
	'g',
);

/** Position of the first character XML 1.0 does not allow, or -1. */
export function firstInvalidChar(xml: string): number {
	SUSPECT_CHAR.lastIndex = 0;
	for (let match = SUSPECT_CHAR.exec(xml); match; match = SUSPECT_CHAR.exec(xml)) {
		const at = match.index;
		const c = xml.charCodeAt(at);
		if (c >= 0xd800 && c <= 0xdbff) {
			const next = xml.charCodeAt(at + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				SUSPECT_CHAR.lastIndex = at + 2;
				continue;
			}
		}
		return at;
	}
	return -1;
}
/** The XML declaration, with its version, encoding and standalone. */
export const XML_DECL =
	/^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]*\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\4)?[ \t\r\n]*\?>/;
export const PREDEFINED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
};

export function isXmlChar(code: number): boolean {
	return (
		code === 0x9 ||
		code === 0xa ||
		code === 0xd ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

export function isSpace(c: number): boolean {
	return c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
}

export function isBlank(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c !== 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) return false;
	}
	return true;
}

export function codePointLength(text: string): number {
	let length = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0xd800 || c > 0xdbff) length++;
	}
	return length;
}
