// The attachment store on S3-compatible storage (AWS S3, MinIO, Aliyun OSS, Tencent COS …), chosen
// when S3_BUCKET is set (core/config.ts). Same contract as the disk store (store.ts).
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { checkKey, type AttachmentStore } from "./store.ts";

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Most S3-compatible servers want path-style URLs (endpoint/bucket/key). */
  forcePathStyle?: boolean;
  /** Prefix for every key, e.g. "attachments/". */
  prefix?: string;
}

export function s3Store(o: S3StoreOptions): AttachmentStore & { client: S3Client } {
  const client = new S3Client({
    region: o.region ?? "us-east-1",
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    forcePathStyle: o.forcePathStyle ?? true,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
  });
  const key = (k: string) => `${o.prefix ?? ""}${checkKey(k)}`;
  return {
    kind: "s3",
    client,
    async put(k, bytes, { contentType }) {
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: key(k), Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }));
    },
    async get(k) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key(k) }));
        if (!r.Body) return null;
        return { body: r.Body as Readable, contentType: r.ContentType ?? "application/octet-stream", size: Number(r.ContentLength ?? 0) };
      } catch (err) {
        if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return null;
        throw err;
      }
    },
    async delete(k) {
      await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key(k) }));
    },
  };
}
