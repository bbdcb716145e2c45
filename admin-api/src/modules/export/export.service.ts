import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type ExportFormat, RateLimited } from '@parley/contract';
import { answerByLabel, type ChoiceLabels, choiceLabels, type FlowDocument } from '@parley/schemas';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { MediaService } from '../media/media.service.js';
import type { AnswerColumn } from '../responses/answer-columns.js';
import type { FlowRef, ResponseFilters, ResponseRecord } from '../responses/responses.repository.js';
import type { ResponsesService } from '../responses/responses.service.js';
import type { ExportRepository } from './export.repository.js';
import {
  csvRecord,
  headerRow,
  ndjsonLine,
  type RowOptions,
  withMediaLinks,
  xlsxRow,
} from './export-cells.js';
import { maskPersonalData } from './mask-personal.js';

/** Rows read per FETCH (and written per write): memory stays at about one chunk. */
export const EXPORT_CHUNK_ROWS = 2_000;

/**
 * Exports running at once in this process. Each holds one database connection (its cursor's
 * transaction) for as long as its client downloads, so they must not take the whole pool.
 */
export const MAX_CONCURRENT_EXPORTS = 3;

/** The output as a sink: writes that wait for 'drain', and whether the client went away. */
class Sink {
  closed = false;
  private readonly onClose: Promise<void>;

  constructor(readonly out: Writable) {
    this.onClose = new Promise((resolve) => {
      out.once('close', () => {
        this.closed = true;
        resolve();
      });
    });
    // A write racing a disconnect must not become an unhandled 'error' event.
    out.on('error', () => undefined);
  }

  /** Resolves once the buffered output is flushed (or the client is gone). */
  drained(): Promise<void> {
    if (this.closed || !this.out.writableNeedDrain) return Promise.resolve();
    return Promise.race([new Promise<void>((resolve) => this.out.once('drain', resolve)), this.onClose]);
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.out.write(text)) await this.drained();
  }

  /** Waits for `work`, or for the client to go away (then `work` is left to the garbage collector). */
  async unlessClosed(work: Promise<unknown>): Promise<void> {
    await Promise.race([work, this.onClose]);
  }
}

interface FormatWriter {
  start(): Promise<void>;
  rows(records: ResponseRecord[]): Promise<void>;
  end(): Promise<void>;
}

/**
 * RFC 4180 records (CRLF, fields quoted when they hold a comma, quote or line break). Papa Parse's
 * unparse writes them at about 2.5× the speed of csv-stringify, which was 40% of an export's time.
 * The formula guard is ours (export-cells), not Papa's `escapeFormulae`: ours leaves phone numbers
 * and negative numbers alone.
 */
const csvLines = (rows: string[][]) => `${Papa.unparse(rows, { newline: '\r\n' })}\r\n`;

function csvWriter(sink: Sink, columns: AnswerColumn[], options: RowOptions): FormatWriter {
  return {
    // UTF-8 with a byte order mark, so Excel reads accents and emoji right.
    start: () => sink.write(`\uFEFF${csvLines([headerRow(columns)])}`),
    rows: (records) => sink.write(csvLines(records.map((record) => csvRecord(record, columns, options)))),
    end: async () => {
      sink.out.end();
    },
  };
}

function ndjsonWriter(sink: Sink, options: RowOptions): FormatWriter {
  return {
    start: async () => undefined,
    rows: (records) => sink.write(records.map((record) => ndjsonLine(record, options)).join('')),
    end: async () => {
      sink.out.end();
    },
  };
}

/**
 * exceljs's streaming writer zips rows as they are committed but has no backpressure of its own, so
 * after each chunk we let the zip stream run and wait while the socket has more than its buffer.
 * Shared strings and styles are off: both would keep every row's data in memory until the end.
 */
function xlsxWriter(sink: Sink, columns: AnswerColumn[], options: RowOptions): FormatWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink.out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Responses');
  return {
    start: async () => {
      sheet.addRow(headerRow(columns)).commit();
    },
    rows: async (records) => {
      for (const record of records) sheet.addRow(xlsxRow(record, columns, options)).commit();
      await nextTurn();
      await sink.drained();
    },
    end: async () => {
      sheet.commit();
      await sink.unlessClosed(workbook.commit());
    },
  };
}

export type ExportOptions = RowOptions & { format: ExportFormat; choiceLabels: boolean };

/** The record with its choice answers written by their labels. */
function byLabel(record: ResponseRecord, labels: ChoiceLabels): ResponseRecord {
  const answers = Object.fromEntries(
    Object.entries(record.answers).map(([variable, value]) => [
      variable,
      answerByLabel(labels, variable, value),
    ]),
  );
  return { ...record, answers };
}

/** A file name from the flow's name: `lead-intake-responses-2026-11-22.csv`. */
export function exportFileName(flowName: string, format: ExportFormat, now = new Date()): string {
  const slug =
    flowName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'flow';
  return `${slug}-responses-${now.toISOString().slice(0, 10)}.${format}`;
}

/** An export that passed its checks: its file name, and the writing of its rows to an output. */
export interface ResponsesExport {
  fileName: string;
  format: ExportFormat;
  /** Writes the whole file to `out`; a failure midway is logged and cuts `out` short. */
  writeTo(out: Writable): Promise<void>;
}

/** Streams a flow's responses as CSV, XLSX or NDJSON in constant memory. */
export class ExportService {
  private running = 0;

  constructor(
    private readonly api: ApiContext,
    private readonly responses: ResponsesService,
    private readonly repository: ExportRepository,
    private readonly media: MediaService,
    private readonly limits = { chunkRows: EXPORT_CHUNK_ROWS, maxConcurrent: MAX_CONCURRENT_EXPORTS },
  ) {}

  /**
   * Checks the export (the flow is in the caller's workspace, not too many exports running) and
   * records it, before anything is written, so a refusal is still a plain error. Stored files
   * become signed links under `mediaOrigin`. The export's slot is taken until `writeTo` finishes.
   */
  async open(
    caller: Caller,
    flowId: string,
    filters: ResponseFilters,
    options: ExportOptions,
    mediaOrigin: string,
  ): Promise<ResponsesExport> {
    const flow = await this.responses.flow(caller, flowId);
    if (this.running >= this.limits.maxConcurrent)
      throw new RateLimited('Several exports are already running. Try again in a minute.');
    // Taken before the next await, so exports opened at the same moment cannot all pass the check.
    this.running += 1;
    let columns: AnswerColumn[];
    let labels: ChoiceLabels | null = null;
    try {
      columns = await this.responses.columns(caller, flowId, filters.includeTest);
      if (options.choiceLabels) {
        const versions = await this.responses.repository.definitions(
          this.api.db,
          caller.workspaceId,
          flowId,
          filters.includeTest,
        );
        labels = choiceLabels(versions.map(({ definition }) => definition as FlowDocument));
      }
      await this.api.audit.record(this.api.db, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'responses.export',
        entity: 'flow',
        entityId: flowId,
        after: {
          format: options.format,
          maskPhone: options.maskPhone,
          choiceLabels: options.choiceLabels,
          filters,
        },
      });
    } catch (error) {
      this.running -= 1;
      throw error;
    }
    return {
      fileName: exportFileName(flow.name, options.format),
      format: options.format,
      writeTo: async (out) => {
        try {
          await this.write(caller, flow, filters, options, columns, labels, mediaOrigin, out);
        } finally {
          this.running -= 1;
        }
      },
    };
  }

  /**
   * Rows are read a chunk at a time and each chunk is written (waiting for the output to drain)
   * before the next is handed over; an output that closes (the client went away) stops the reading
   * at the next chunk boundary, and the cursor and its transaction are closed.
   */
  private async write(
    caller: Caller,
    flow: FlowRef,
    filters: ResponseFilters,
    options: ExportOptions,
    columns: AnswerColumn[],
    labels: ChoiceLabels | null,
    mediaOrigin: string,
    out: Writable,
  ): Promise<void> {
    const flowId = flow.id;
    const sink = new Sink(out);
    const writer =
      options.format === 'csv'
        ? csvWriter(sink, columns, options)
        : options.format === 'xlsx'
          ? xlsxWriter(sink, columns, options)
          : ndjsonWriter(sink, options);
    const linked = (record: ResponseRecord) =>
      withMediaLinks(record, (key) => this.media.signedUrl(mediaOrigin, key));
    const labelled = (record: ResponseRecord) => (labels === null ? record : byLabel(record, labels));
    let rows = 0;
    try {
      await writer.start();
      await this.repository.forEachChunk(
        this.api.db,
        caller.workspaceId,
        flowId,
        filters,
        this.limits.chunkRows,
        async (chunk) => {
          if (sink.closed) return false;
          await writer.rows(
            chunk.map((record) =>
              linked(labelled(options.maskPhone ? maskPersonalData(record, columns) : record)),
            ),
          );
          rows += chunk.length;
          return !sink.closed;
        },
      );
      if (sink.closed) {
        this.api.logger.info(
          { flowId, format: options.format, rows },
          'export stopped: the client went away',
        );
        return;
      }
      await writer.end();
    } catch (error) {
      // The file has begun: cut it so the client sees an incomplete download, not a shorter file.
      this.api.logger.error({ err: error, flowId, format: options.format, rows }, 'export failed midway');
      out.destroy();
    }
  }
}
