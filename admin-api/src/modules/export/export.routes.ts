import { type ExportFormat, ExportQuery, IdParams } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import { filtersOf } from '../responses/responses.routes.js';
import type { ExportService } from './export.service.js';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const DESCRIPTION = [
  'Downloads the responses of a flow (same filters as the list) as a file, streamed in constant memory.',
  'Columns: conversation_id, contact, contact_name, version, status, started_at, completed_at (ISO 8601, UTC),',
  'then one column per answer variable of every published version, in flow order, named by the variable',
  '(a variable named like a fixed column is written answers.<name>). Arrays are joined with ", ", objects',
  '(media, location) written as JSON.',
  'csv: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting. Formula-injection guard: a text cell starting with',
  '= + - @ tab or CR gets a leading apostrophe so spreadsheets read it as text; number-like cells (phone numbers',
  'such as +15550100101, negative numbers) stay as they are.',
  'xlsx: one sheet "Responses" with the same columns; numbers stay numbers; text cells are never formulas.',
  'ndjson: one JSON object per line, shaped like the items of GET /flows/{id}/responses, answers as stored.',
  'choiceLabels=true writes the answers of choice questions, in every format, by the label the contact picked.',
].join(' ');

export function exportRoutes(exports: ExportService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/flows/{id}/responses/export',
      summary: 'Export the responses of a flow as CSV, XLSX or NDJSON (streamed)',
      description: DESCRIPTION,
      tag: 'responses',
      access: 'viewer',
      params: IdParams,
      query: ExportQuery,
      responses: {
        200: {
          description:
            'The file, as an attachment: text/csv (format=csv), application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (xlsx) or application/x-ndjson (ndjson)',
          contentType: 'text/csv',
        },
      },
      handler: async ({ caller, params, query, request, response }) => {
        const file = await exports.open(
          caller,
          params.id,
          filtersOf(query),
          {
            format: query.format ?? 'csv',
            maskPhone: query.maskPhone ?? false,
            choiceLabels: query.choiceLabels ?? false,
          },
          `${request.protocol}://${request.get('host')}`,
        );
        response.status(200).set({
          'content-type': CONTENT_TYPES[file.format],
          'content-disposition': `attachment; filename="${file.fileName}"`,
          'cache-control': 'no-store',
        });
        await file.writeTo(response);
        return 'streamed';
      },
    }),
  ];
}
