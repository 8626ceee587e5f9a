import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Session } from '@lbc/http';
import { CurrentUser, Roles, objectSchema, validate } from '@lbc/http';
import { ApiReadProblems } from '@lbc/read-api';
import type { VerifyReport } from '../verify/verify-report';
import { BOOLEAN, INTEGER, NULLABLE_STRING, SHA256_BASE64, STRING } from './openapi-types';
import { AUDIT_ROLES, COUNT_PATTERN, MAX_LIMIT, REVISION_PATTERN, STREAM_ID, count, limitParam } from './audit-params';
import type { ConsistencyProofView } from './get-consistency-proof.query';
import { GetConsistencyProofQuery } from './get-consistency-proof.query';
import type { InclusionProofView } from './get-inclusion-proof.query';
import { GetInclusionProofQuery } from './get-inclusion-proof.query';
import type { TreeHeadsPage } from './list-tree-heads.query';
import { ListTreeHeadsQuery } from './list-tree-heads.query';
import { SignTreeHeadCommand } from './sign-tree-head.command';
import type { TreeHeadView } from './tree-head-view';
import { VerifyRecordCommand } from './verify-record.command';

const headsQuery = z.strictObject({ limit: limitParam, cursor: count().optional() });
const inclusionQuery = z.strictObject({
  streamId: z.string().regex(STREAM_ID, 'must be a stream id (child-…, carer-…, school-…)'),
  revision: z.string().regex(new RegExp(REVISION_PATTERN), 'must be a revision: a whole number of up to 9 digits').transform(Number),
  treeSize: count().optional(),
});
const consistencyQuery = z.strictObject({ first: count(), second: count() });
// A tree head note is a few hundred bytes; a hundred of them is plenty for one check.
const verifyBody = z.strictObject({ treeHeads: z.array(z.string().min(1).max(4_096)).max(100).default([]) });

const HEAD_SCHEMA = objectSchema({
  id: INTEGER,
  origin: STRING,
  treeSize: INTEGER,
  rootHash: SHA256_BASE64,
  time: { type: 'string', format: 'date-time' },
  accessLog: objectSchema({ entries: INTEGER, hash: STRING }, { nullable: true }),
  note: { type: 'string', description: 'The signed note (c2sp.org/tlog-checkpoint): keep a copy outside the platform' },
});
// Where a link broke: a stream's revision, a leaf's position, an access-log entry's seq or a tree head.
const FINDING_SCHEMA = objectSchema(
  { kind: { type: 'string', enum: ['chain', 'tree', 'tree-head', 'access-log'] }, streamId: STRING, revision: INTEGER, position: INTEGER, seq: INTEGER, treeHead: STRING, detail: STRING },
  { optional: ['streamId', 'revision', 'position', 'seq', 'treeHead'] },
);
const WHO = 'Auditors and platform_admin.';
const PROBLEMS = {
  badRequest: 'A malformed or unknown parameter (`field` names it)',
  forbidden: 'Any role but auditor and platform_admin (code forbidden)',
};

@ApiTags('audit')
@Controller('api/v1/audit')
export class TreeHeadsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('tree-heads')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    operationId: 'listTreeHeads',
    summary: 'Signed tree heads (checkpoints) of the Merkle tree over all events, newest first, with the key to verify them',
    description: WHO,
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', pattern: COUNT_PATTERN } })
  @ApiOkResponse({
    description: 'A page of heads',
    schema: objectSchema({ verifierKey: STRING, treeHeads: { type: 'array', items: HEAD_SCHEMA }, nextCursor: NULLABLE_STRING }),
  })
  @ApiReadProblems({ ...PROBLEMS, notFound: 'Never: an empty page instead' })
  treeHeads(@Query() query: unknown): Promise<TreeHeadsPage> {
    const { limit, cursor } = validate(headsQuery, query, 'query');
    return this.queryBus.execute(new ListTreeHeadsQuery(limit, cursor));
  }

  @Post('tree-heads')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({ operationId: 'signTreeHead', summary: 'Signs a tree head now (besides the daily one)', description: WHO })
  @ApiCreatedResponse({ description: 'The new head', schema: HEAD_SCHEMA })
  @ApiReadProblems({ ...PROBLEMS, notFound: 'Never' })
  sign(): Promise<TreeHeadView> {
    return this.commandBus.execute(new SignTreeHeadCommand());
  }

  @Get('proofs/inclusion')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({ operationId: 'getInclusionProof', summary: 'RFC 6962 proof that an event is in the tree of a signed head', description: WHO })
  @ApiQuery({ name: 'streamId', required: true, schema: { type: 'string', pattern: STREAM_ID.source } })
  @ApiQuery({ name: 'revision', required: true, schema: { type: 'string', pattern: REVISION_PATTERN } })
  @ApiQuery({ name: 'treeSize', required: false, schema: { type: 'string', pattern: COUNT_PATTERN }, description: 'Default: the latest signed head’s' })
  @ApiOkResponse({
    description: 'The proof',
    schema: objectSchema({ streamId: STRING, revision: INTEGER, eventHash: STRING, leafIndex: INTEGER, treeSize: INTEGER, leafHash: SHA256_BASE64, rootHash: SHA256_BASE64, path: { type: 'array', items: SHA256_BASE64 } }),
  })
  @ApiReadProblems({
    ...PROBLEMS,
    notFound: 'No such event, or one outside the auditor’s county (code unknown-event)',
    unprocessable: 'No head signed yet, a tree size beyond the tree, or one the event is not in (codes no-tree-head, beyond-tree, not-in-tree)',
  })
  inclusion(@Query() query: unknown, @CurrentUser() actor: Session): Promise<InclusionProofView> {
    const { streamId, revision, treeSize } = validate(inclusionQuery, query, 'query');
    return this.queryBus.execute(new GetInclusionProofQuery(streamId, revision, treeSize, actor));
  }

  @Get('proofs/consistency')
  @Roles(...AUDIT_ROLES)
  @ApiOperation({ operationId: 'getConsistencyProof', summary: 'RFC 6962 proof that one tree head’s tree is a prefix of another’s', description: WHO })
  @ApiQuery({ name: 'first', required: true, schema: { type: 'string', pattern: COUNT_PATTERN } })
  @ApiQuery({ name: 'second', required: true, schema: { type: 'string', pattern: COUNT_PATTERN } })
  @ApiOkResponse({
    description: 'The proof',
    schema: objectSchema({ first: INTEGER, second: INTEGER, firstRootHash: SHA256_BASE64, secondRootHash: SHA256_BASE64, path: { type: 'array', items: SHA256_BASE64 } }),
  })
  @ApiReadProblems({ ...PROBLEMS, notFound: 'Never', unprocessable: 'first after second, or second beyond the tree (codes invalid-value, beyond-tree)' })
  consistency(@Query() query: unknown): Promise<ConsistencyProofView> {
    const { first, second } = validate(consistencyQuery, query, 'query');
    return this.queryBus.execute(new GetConsistencyProofQuery(first, second));
  }

  @Post('verify')
  @HttpCode(200)
  @Roles(...AUDIT_ROLES)
  @ApiOperation({
    operationId: 'verifyRecord',
    summary: 'Re-checks every stream’s chain, the tree, every signed head and the access log; optionally heads kept outside the platform',
    description: `${WHO} The same check as \`npm run verify\`; findings name the first broken link (stream and revision, or access-log entry).`,
  })
  @ApiBody({ required: false, schema: { type: 'object', additionalProperties: false, properties: { treeHeads: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 4096 } } } } })
  @ApiOkResponse({
    description: 'The report; `ok` false with findings when anything was altered',
    schema: objectSchema({ ok: BOOLEAN, events: INTEGER, streams: INTEGER, treeHeads: INTEGER, accessLogEntries: INTEGER, findings: { type: 'array', items: FINDING_SCHEMA } }),
  })
  @ApiReadProblems({ ...PROBLEMS, notFound: 'Never' })
  verify(@Body() body: unknown): Promise<VerifyReport> {
    const { treeHeads } = validate(verifyBody, body, 'body');
    return this.commandBus.execute(new VerifyRecordCommand(treeHeads));
  }
}
