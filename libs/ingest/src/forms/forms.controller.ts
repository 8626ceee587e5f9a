import { Controller } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FormEndpoint } from './form-spec';
import { Form } from './form-request.decorator';
import type { FormRequest } from './form-submitter';
import { FormSubmitter } from './form-submitter';
import { FORMS } from './forms';

type FormName = keyof typeof FORMS;

/** Path (under the controller's prefix) and summary of each form's endpoint. */
const CHILD_FORMS: readonly [string, FormName, string][] = [
  ['', 'registerChild', 'Register a child (建档): ChildRegistered'],
  [':childId/archive', 'updateArchive', 'Update the archive: ArchiveUpdated'],
  [':childId/guardianship', 'changeGuardianship', 'Change guardianship (落实监护人): GuardianshipChanged'],
  [':childId/risk-flags', 'flagRisk', 'Flag a risk: RiskFlagged'],
  [':childId/risk-flags/:flag/clear', 'clearRisk', 'Clear a risk: RiskCleared'],
  [':childId/pairings', 'startPairing', 'Pair with a carer (结对帮扶): PairingStarted'],
  [':childId/pairings/:pairingId/end', 'endPairing', 'End a pairing: PairingEnded'],
  [':childId/activities', 'recordActivity', 'Record care work (谈心, 家访, 亲情电话…): CareActivityRecorded'],
  [':childId/activities/:activityId/void', 'voidActivity', 'Void a recorded activity: CareActivityVoided'],
  [':childId/incidents', 'reportIncident', 'Report an incident: IncidentReported'],
  [':childId/incidents/:incidentId/notifications', 'notifyIncidentParty', 'Record that a party was notified: IncidentPartyNotified'],
  [':childId/incidents/:incidentId/resolution', 'resolveIncident', 'Resolve an incident: IncidentResolved'],
  [':childId/enrollment-changes', 'changeEnrollment', 'Transfer, dropout (辍学), return (劝返), graduation, promotion: EnrollmentChanged'],
  [':childId/left-behind-status/end', 'endLeftBehindStatus', 'End the left-behind status: LeftBehindStatusEnded'],
  [':childId/left-behind-status/resume', 'resumeLeftBehindStatus', 'Resume the left-behind status: LeftBehindStatusResumed'],
  [':childId/erasure', 'eraseChild', "Erase the child's personal data (crypto-shredding): PersonalDataErased"],
];

const SCHOOL_AND_CARER_FORMS: readonly [string, FormName, string][] = [
  ['schools', 'registerSchool', 'Register a school: SchoolRegistered'],
  ['schools/:schoolId/enrollment-reports', 'reportEnrollment', "Report a term's total pupils: EnrollmentReported"],
  ['schools/:schoolId/care-homes', 'openCareHome', 'Open a care home (留守儿童之家): CareHomeOpened'],
  ['schools/:schoolId/care-homes/:homeId/activities', 'holdCareHomeActivity', 'Record a care home activity: CareHomeActivityHeld'],
  ['carers', 'registerCarer', 'Register a carer: CarerRegistered'],
  ['carers/:carerId/retirement', 'retireCarer', 'Retire a carer: CarerRetired'],
  ['carers/:carerId/erasure', 'eraseCarer', "Erase a carer's personal data: PersonalDataErased"],
];

/**
 * A controller with one POST endpoint per form, all alike (submit the form's event), so they are
 * generated from the tables above rather than written out one by one.
 */
function formsController(prefix: string, tag: string, forms: readonly [string, FormName, string][]): Type<unknown> {
  @ApiTags(tag)
  @Controller(prefix)
  class FormsController {
    constructor(readonly submitter: FormSubmitter) {}
  }
  const prototype = FormsController.prototype as unknown as Record<string, unknown>;
  for (const [path, name, summary] of forms) {
    const spec = FORMS[name];
    // Named after the form: the OpenAPI operationId is the controller's and the method's name.
    const submit = {
      [name](this: FormsController, form: FormRequest) {
        return this.submitter.submit(spec, form);
      },
    }[name];
    const descriptor: PropertyDescriptor = {
      value: submit,
      writable: true,
      configurable: true,
    };
    Object.defineProperty(prototype, name, descriptor);
    Reflect.defineMetadata('design:paramtypes', [Object], prototype, name);
    Form()(prototype, name, 0);
    FormEndpoint(path, spec, summary)(prototype, name, descriptor);
  }
  Object.defineProperty(FormsController, 'name', { value: `${tag.replace(/\W+/g, ' ').replace(/(?:^|\s)(\w)/g, (_m, c: string) => c.toUpperCase())}FormsController` });
  return FormsController;
}

export const ChildFormsController = formsController('api/v1/children', 'forms: children', CHILD_FORMS);
export const SchoolFormsController = formsController('api/v1', 'forms: schools and carers', SCHOOL_AND_CARER_FORMS);
