// Approvals' part of the weekly digest: the actions asked for, and how they ended.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { ApprovalRequestSchema } from './store/entities.js';

const OUTCOMES: Record<string, string> = { executed: 'approved and done', rejected: 'rejected', expired: 'expired', failed: 'failed', superseded: 'superseded', pending: 'still waiting' };

export function approvalsDigestSection(database: Database): DigestSectionSource {
  return { name: 'approvals', order: 30, gather: (period) => approvalsSection(database, period) };
}

async function approvalsSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const byStatus = await database
    .fork()
    .createQueryBuilder(ApprovalRequestSchema)
    .select(['status', raw('count(*) as requests')])
    .where({ guildId, createdAt: { $gte: new Date(from), $lt: new Date(to) } })
    .groupBy('status')
    .execute<{ status: string; requests: string }[]>('all');
  const total = byStatus.reduce((sum, row) => sum + Number(row.requests), 0);
  if (total === 0) return null;
  return {
    title: '✅ Approvals',
    lines: [`**${total}** actions asked for approval: ${byStatus.map((row) => `${Number(row.requests)} ${OUTCOMES[row.status] ?? row.status}`).join(', ')}`],
  };
}
