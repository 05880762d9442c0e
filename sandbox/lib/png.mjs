// @ts-check
/**
 * A minimal PNG encoder, enough to return a real image for WAHA's QR endpoint without a
 * dependency. The picture looks like a QR code but encodes nothing: no client should decode it.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

const MODULES = 25;
const QUIET_ZONE = 4;
const PIXELS_PER_MODULE = 6;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A deterministic QR-like black-and-white picture derived from `text`.
 * @param {string} text
 * @returns {Buffer} PNG bytes (8-bit greyscale).
 */
export function qrLikePng(text) {
	const bits = createHash('sha512').update(text).digest();
	const isDark = (/** @type {number} */ row, /** @type {number} */ col) => {
		const finder = finderModule(row, col);
		if (finder !== undefined) return finder;
		const index = row * MODULES + col;
		return ((bits[(index >> 3) % bits.length] >> (index & 7)) & 1) === 1;
	};

	const size = (MODULES + 2 * QUIET_ZONE) * PIXELS_PER_MODULE;
	// Each scanline starts with filter type 0 (none).
	const raw = Buffer.alloc(size * (size + 1), 0xff);
	for (let y = 0; y < size; y++) {
		raw[y * (size + 1)] = 0;
		const row = Math.floor(y / PIXELS_PER_MODULE) - QUIET_ZONE;
		for (let x = 0; x < size; x++) {
			const col = Math.floor(x / PIXELS_PER_MODULE) - QUIET_ZONE;
			const inside = row >= 0 && row < MODULES && col >= 0 && col < MODULES;
			if (inside && isDark(row, col)) raw[y * (size + 1) + 1 + x] = 0x00;
		}
	}

	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // colour type: greyscale
	return Buffer.concat([
		PNG_SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * The three 7x7 position squares that make the picture read as a QR code to a human.
 * @param {number} row
 * @param {number} col
 * @returns {boolean | undefined} undefined outside the squares and their white separators.
 */
function finderModule(row, col) {
	for (const [top, left] of [
		[0, 0],
		[0, MODULES - 7],
		[MODULES - 7, 0],
	]) {
		const r = row - top;
		const c = col - left;
		if (r < -1 || r > 7 || c < -1 || c > 7) continue;
		if (r === -1 || r === 7 || c === -1 || c === 7) return false;
		const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
		return ring !== 2;
	}
	return undefined;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length, 0);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData), 0);
	return Buffer.concat([length, typeAndData, crc]);
}
