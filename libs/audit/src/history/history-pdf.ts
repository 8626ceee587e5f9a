import PDFDocument from 'pdfkit';
import type { EventType } from '@lbc/domain';
import { EVENT_TYPE_NAMES_ZH } from '@lbc/domain';
import { chineseFont } from './embedded-font';
import type { StreamHistory } from './stream-history';

const RELATIONS = { voids: '作废', ends: '结束', notifies: '通知', resolves: '处置' } as const;

export interface PrintContext {
  readonly printedAt: string;
  readonly printedBy: string;
  readonly reason: string;
}

/** One line per field, nested objects flattened to dotted paths. */
function lines(data: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? lines(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}: ${Array.isArray(value) ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ') : String(value)}`],
  );
}

/** A stream's history as a PDF for the auditor's file, Chinese rendered with an embedded font. */
export function historyPdf(history: StreamHistory, context: PrintContext): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `审计记录 ${history.streamId}`, Subject: history.streamId } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', chineseFont());
  doc.font('body');
  doc.fontSize(16).text(`关爱档案审计记录 Care history: ${history.streamId}`);
  doc.moveDown(0.5).fontSize(9);
  doc.text(`打印时间 Printed: ${context.printedAt}    打印人 By: ${context.printedBy}`);
  doc.text(`查阅事由 Reason: ${context.reason}`);
  doc.text(
    history.chain.ok
      ? '哈希链校验 Hash chain: 完整 intact'
      : `哈希链校验 Hash chain: 断裂 BROKEN at revision ${history.chain.revision} (${history.chain.reason})`,
  );
  if (history.personalErased) doc.text('个人信息已删除 Personal data erased: shown as [已删除 erased]');
  doc.text(`事件数 Events: ${history.events.length}`);
  for (const event of history.events) {
    doc.moveDown(0.8).fontSize(11).text(`#${event.revision} ${EVENT_TYPE_NAMES_ZH[event.type as EventType] ?? ''} ${event.type}`);
    doc.fontSize(8);
    doc.text(`发生 occurred ${event.occurredAt}   记录 recorded ${event.recordedAt}   记录人 by ${event.recordedBy}   学校 school ${event.schoolId ?? '—'}`);
    if (event.refersTo) doc.text(`${RELATIONS[event.refersTo.relation]} ${event.refersTo.relation} → ${event.refersTo.eventId}`);
    for (const reference of event.referredBy) doc.text(`被${RELATIONS[reference.relation]} ${reference.relation} by ← ${reference.eventId}`);
    const { personal, ...data } = event.data as Record<string, unknown>;
    for (const line of lines(data)) doc.text(line);
    if (personal !== undefined) {
      const erased = (personal as { erased?: boolean }).erased === true;
      doc.text(erased ? '个人信息 personal: [已删除 erased]' : lines(personal as Record<string, unknown>, 'personal.').join('\n'));
    }
    doc.fillColor('#555555').text(`event ${event.eventId}   hash ${event.hash}`).fillColor('#000000');
  }
  doc.end();
  return done;
}
