// Removes metadata that can give a resident away (EXIF GPS position, camera serial, XMP, IPTC,
// comments) from JPEG and PNG files without re-encoding: the pixels are kept byte for byte.
// JPEG: APP1 (EXIF, XMP), APP12-APP15 (IPTC/Photoshop and vendor blocks) and COM segments are
// dropped; APP0 (JFIF) and APP2 (ICC colour profile) stay. PNG: eXIf and text chunks are dropped.

export function stripJpegMetadata(src: Uint8Array): Buffer {
  const b = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw new Error("not a JPEG");
  const parts: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Error(`JPEG: no marker at ${i}`);
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // Start of scan (or end of image): the rest is image data, copied as is.
    if (marker === 0xda || marker === 0xd9) {
      parts.push(b.subarray(i));
      return Buffer.concat(parts);
    }
    // Markers without a length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    if (len < 2 || i + 2 + len > b.length) throw new Error("JPEG: segment runs past the end");
    const drop = marker === 0xe1 || (marker >= 0xec && marker <= 0xef) || marker === 0xfe;
    if (!drop) parts.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  throw new Error("JPEG: no image data");
}

const PNG_DROP = new Set(["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]);

export function stripPngMetadata(src: Uint8Array): Buffer {
  const b = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  const parts: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const len = b.readUInt32BE(i);
    const type = b.toString("latin1", i + 4, i + 8);
    const end = i + 12 + len;
    if (end > b.length) throw new Error("PNG: chunk runs past the end");
    if (!PNG_DROP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === "IEND") break;
  }
  return Buffer.concat(parts);
}
