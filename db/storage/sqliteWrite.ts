import {
  categorizeBulkWriteRows,
  type BulkWriteRow,
  type CategorizeBulkWriteRowsOutput,
  type RxAttachmentWriteData,
  type RxDocumentData,
  type RxStorageInstance,
  type StringKeys,
} from 'rxdb';
import type { SharedConnection } from './connection.ts';
import type { SqlIndexColumn } from './sqlIndex.ts';
import type { CollectionSql } from './sqlTables.ts';

/** Everything a bulk write needs from its storage instance. */
export type WriteContext<RxDocType> = Readonly<{
  instance: RxStorageInstance<RxDocType, unknown, unknown>;
  primaryPath: StringKeys<RxDocType>;
  connection: SharedConnection;
  sql: CollectionSql;
  indexColumns: readonly SqlIndexColumn<RxDocType>[];
  /** Creates the collection's tables if they do not exist yet; runs inside the write transaction. */
  ensureTables: () => void;
}>;

/** Attachment bytes keyed by `${docId}\u0000${attachmentId}`, read before the transaction. */
export type AttachmentBytes = Map<string, Buffer>;

export function attachmentKey(documentId: string, attachmentId: string): string {
  return `${documentId}\u0000${attachmentId}`;
}

/**
 * Reads attachment Blobs up front: Blob reading is asynchronous, while a
 * better-sqlite3 transaction must be synchronous (an await inside it would
 * let other writes interleave).
 */
export async function readAttachmentBytes<RxDocType>(
  rows: readonly BulkWriteRow<RxDocType>[],
  primaryPath: StringKeys<RxDocType>,
): Promise<AttachmentBytes> {
  const bytes: AttachmentBytes = new Map();
  for (const row of rows) {
    const attachments = row.document._attachments as Record<string, Partial<RxAttachmentWriteData>> | undefined;
    if (attachments === undefined) {
      continue;
    }
    const docId = String(row.document[primaryPath]);
    for (const [attachmentId, attachment] of Object.entries(attachments)) {
      const data: unknown = attachment.data;
      if (data instanceof Blob) {
        bytes.set(attachmentKey(docId, attachmentId), Buffer.from(await data.arrayBuffer()));
      } else if (typeof data === 'string') {
        // RxDB before 17 (and some replication payloads) pass base64 strings.
        bytes.set(attachmentKey(docId, attachmentId), Buffer.from(data, 'base64'));
      }
    }
  }
  return bytes;
}

function loadDocsInDb<RxDocType>(
  ctx: WriteContext<RxDocType>,
  rows: readonly BulkWriteRow<RxDocType>[],
): Map<string, RxDocumentData<RxDocType>> {
  const ids = rows.map((row) => String(row.document[ctx.primaryPath]));
  const found = ctx.connection.statements.get(ctx.sql.selectByIds).pluck().all(JSON.stringify(ids)) as string[];
  const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
  for (const data of found) {
    const doc = JSON.parse(data) as RxDocumentData<RxDocType>;
    docsInDb.set(String(doc[ctx.primaryPath]), doc);
  }
  return docsInDb;
}

function writeDocument<RxDocType>(ctx: WriteContext<RxDocType>, doc: RxDocumentData<RxDocType>): void {
  const values: unknown[] = [
    String(doc[ctx.primaryPath]),
    JSON.stringify(doc),
    doc._deleted ? 1 : 0,
    doc._meta.lwt,
    doc._rev,
  ];
  for (const column of ctx.indexColumns) {
    values.push(column.valueOf(doc));
  }
  ctx.connection.statements.get(ctx.sql.upsert).run(...values);
}

function writeAttachments<RxDocType>(
  ctx: WriteContext<RxDocType>,
  categorized: CategorizeBulkWriteRowsOutput<RxDocType>,
  bytes: AttachmentBytes,
): void {
  if (categorized.attachmentsAdd.length + categorized.attachmentsUpdate.length + categorized.attachmentsRemove.length === 0) {
    return; // schemas without attachments have no attachments table to prepare statements on
  }
  const upsert = ctx.connection.statements.get(ctx.sql.upsertAttachment);
  for (const att of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
    const data = bytes.get(attachmentKey(att.documentId, att.attachmentId)) ?? Buffer.alloc(0);
    upsert.run(att.documentId, att.attachmentId, att.digest, att.attachmentData.type, data);
  }
  const remove = ctx.connection.statements.get(ctx.sql.deleteAttachment);
  for (const att of categorized.attachmentsRemove) {
    remove.run(att.documentId, att.attachmentId);
  }
}

/**
 * Runs one bulkWrite as one IMMEDIATE transaction: conflict detection reads
 * the stored revisions under the write lock, so no other connection can
 * change them between the check and the write, and a crash leaves all or
 * none of the batch.
 */
export function runBulkWrite<RxDocType>(
  ctx: WriteContext<RxDocType>,
  rows: BulkWriteRow<RxDocType>[],
  context: string,
  bytes: AttachmentBytes,
): CategorizeBulkWriteRowsOutput<RxDocType> {
  const { db } = ctx.connection;
  return db
    .transaction(() => {
      ctx.ensureTables();
      const docsInDb = loadDocsInDb(ctx, rows);
      const categorized = categorizeBulkWriteRows<RxDocType>(ctx.instance, ctx.primaryPath, docsInDb, rows, context);
      for (const row of categorized.bulkInsertDocs) {
        writeDocument(ctx, row.document);
      }
      for (const row of categorized.bulkUpdateDocs) {
        writeDocument(ctx, row.document);
      }
      writeAttachments(ctx, categorized, bytes);
      return categorized;
    })
    .immediate();
}
