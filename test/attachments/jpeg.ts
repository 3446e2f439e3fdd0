// A tiny JPEG for tests: SOI, JFIF APP0, an EXIF APP1 holding a GPS position, a comment, and
// "image data" (SOS … EOI). Nobody decodes it; file-type recognises it by its first bytes.
export const GPS_MARK = Buffer.from("GPS 39.9042N 116.4074E", "latin1");

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

export const JFIF = segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
export const SCAN = Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0x56, 0xff, 0x00, 0x78, 0xff, 0xd9]);

export function jpegWithGps(): Buffer {
  // EXIF: "Exif\0\0", a big-endian TIFF header, and (for the test) the position as readable bytes.
  const exif = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), GPS_MARK]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, segment(0xe1, exif), segment(0xfe, Buffer.from("camera serial 1234")), SCAN]);
}

/** What the cleaned file must be: the same JPEG without the APP1 and comment segments. */
export const jpegClean = () => Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, SCAN]);
