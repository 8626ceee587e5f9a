import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CARER_ORGANISATIONS, CARER_ROLES, CARE_HOME_FACILITIES, CHILD_CATEGORIES, ID_PATTERN, INCIDENT_PARTIES, INCIDENT_KINDS, INCIDENT_SEVERITIES, RISK_FLAGS } from '@lbc/domain';
import { CARE_DUTIES } from '@lbc/read-models';

const NEXT_CURSOR = { type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' } as const;

/** A name in a school list: personal data, so for some roles only. */
const NameProperty = (whose: string, nullWhen: string) =>
  ApiPropertyOptional({ type: String, nullable: true, description: `${whose} name (personal data): for school roles and platform_admin only, absent for auditors; null ${nullWhen}` });

export class SchoolChildView {
  @ApiProperty({ pattern: ID_PATTERN.source }) readonly childId!: string;
  @NameProperty("The child's", 'once erased') readonly name?: string | null;
  @ApiProperty({ minimum: 1, maximum: 12 }) readonly grade!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Null only for children projected before classes were kept (until a rebuild)' })
  readonly className!: string | null;
  @ApiProperty({ enum: CHILD_CATEGORIES }) readonly category!: string;
  @ApiProperty({ enum: RISK_FLAGS, isArray: true, description: 'Open risk flags (重点帮扶对象 when any)' }) readonly openRiskFlags!: readonly string[];
  @ApiProperty({ description: 'Has at least one active pairing (结对)' }) readonly paired!: boolean;
}

export class SchoolChildrenPage {
  @ApiProperty() readonly schoolId!: string;
  @ApiProperty({ format: 'date', description: 'Today, county-local' }) readonly asOf!: string;
  @ApiProperty({ type: [SchoolChildView] }) readonly items!: readonly SchoolChildView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}

export class OverdueDutyView {
  @ApiProperty({ enum: CARE_DUTIES.map((d) => d.duty), description: 'talk 7 days, guardian-contact 30, home-visit 92, aid this semester, parent-meeting 365' })
  readonly duty!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The last such activity (voided ones never count); null if none ever' })
  readonly lastDoneAt!: string | null;
}

export class MissingNotificationView {
  @ApiProperty({ enum: INCIDENT_PARTIES }) readonly party!: string;
  @ApiProperty({ description: 'occurredAt plus 30 (guardian), 60 (parents) or 120 minutes (bureau, township)' }) readonly deadline!: string;
  @ApiProperty({ description: 'Judged at the earlier of now and the end of asOf' }) readonly deadlinePassed!: boolean;
}

export class UnnotifiedIncidentView {
  @ApiProperty() readonly incidentId!: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) readonly kind!: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) readonly severity!: string;
  @ApiProperty() readonly occurredAt!: string;
  @ApiProperty() readonly resolved!: boolean;
  @ApiProperty({ type: [MissingNotificationView] }) readonly missing!: readonly MissingNotificationView[];
}

export class PairedCarerView {
  @ApiProperty({ pattern: ID_PATTERN.source }) readonly carerId!: string;
  @ApiProperty({ enum: CARER_ROLES, description: 'The role in the pairing' }) readonly role!: string;
}

export class WorklistItemView extends SchoolChildView {
  @ApiProperty({ type: [PairedCarerView], description: "The carers of the child's active pairings, the earliest paired first: whose duties the overdue ones are" })
  readonly carers!: readonly PairedCarerView[];
  @ApiProperty({ type: [OverdueDutyView], description: 'Care duties (五个一) overdue; only for paired children' })
  readonly overdueDuties!: readonly OverdueDutyView[];
  @ApiProperty({ type: [UnnotifiedIncidentView] }) readonly unnotifiedIncidents!: readonly UnnotifiedIncidentView[];
}

export class SchoolWorklistPage {
  @ApiProperty() readonly schoolId!: string;
  @ApiProperty({ format: 'date' }) readonly asOf!: string;
  @ApiProperty({ type: [WorklistItemView], description: 'Children in care with no active pairing (paired false), duties overdue, or incidents a party has not been told of' })
  readonly items!: readonly WorklistItemView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}

export class SchoolCarerView {
  @ApiProperty({ pattern: ID_PATTERN.source }) readonly carerId!: string;
  @NameProperty("The carer's", 'once erased') readonly name?: string | null;
  @ApiProperty({ enum: CARER_ORGANISATIONS }) readonly organisation!: string;
  @ApiProperty({ enum: CARER_ROLES }) readonly role!: string;
  @ApiProperty() readonly partyMember!: boolean;
  @ApiProperty({ minimum: 0, description: 'Children in care at the school in an active pairing with the carer' }) readonly pairedChildren!: number;
}

export class SchoolCarersPage {
  @ApiProperty() readonly schoolId!: string;
  @ApiProperty({ format: 'date', description: 'Today, county-local' }) readonly asOf!: string;
  @ApiProperty({ type: [SchoolCarerView], description: 'Carers registered with the school and not retired, in id order' }) readonly items!: readonly SchoolCarerView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}

export class SchoolCareHomeView {
  @ApiProperty() readonly homeId!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: CARE_HOME_FACILITIES, isArray: true }) readonly facilities!: readonly string[];
}

export class SchoolCareHomesPage {
  @ApiProperty() readonly schoolId!: string;
  @ApiProperty({ format: 'date', description: 'Today, county-local' }) readonly asOf!: string;
  @ApiProperty({ type: [SchoolCareHomeView], description: 'Care homes (留守儿童之家) the school opened, in id order' }) readonly items!: readonly SchoolCareHomeView[];
  @ApiProperty(NEXT_CURSOR) readonly nextCursor!: string | null;
}
