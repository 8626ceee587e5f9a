import { Controller } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FormEndpoint } from './form-spec';
import { Form } from './form-request.decorator';
import type { FormRequest } from './form-submitter';
import { FormSubmitter } from './form-submitter';
import { FORMS } from './forms';

type FormName = keyof typeof FORMS;
type FormRoute = readonly [path: string, name: FormName, summary: string];

/** Full path and summary of each form's endpoint, written out so that a search for a route finds it. */
const FORM_ROUTES: readonly FormRoute[] = [
  ['api/v1/children', 'registerChild', 'Register a child (建档): ChildRegistered'],
  ['api/v1/children/:childId/archive', 'updateArchive', 'Update the archive: ArchiveUpdated'],
  ['api/v1/children/:childId/guardianship', 'changeGuardianship', 'Change guardianship (落实监护人): GuardianshipChanged'],
  ['api/v1/children/:childId/risk-flags', 'flagRisk', 'Flag a risk: RiskFlagged'],
  ['api/v1/children/:childId/risk-flags/:flag/clear', 'clearRisk', 'Clear a risk: RiskCleared'],
  ['api/v1/children/:childId/pairings', 'startPairing', 'Pair with a carer (结对帮扶): PairingStarted'],
  ['api/v1/children/:childId/pairings/:pairingId/end', 'endPairing', 'End a pairing: PairingEnded'],
  ['api/v1/children/:childId/activities', 'recordActivity', 'Record care work (谈心, 家访, 亲情电话…): CareActivityRecorded'],
  ['api/v1/children/:childId/activities/:activityId/void', 'voidActivity', 'Void a recorded activity: CareActivityVoided'],
  ['api/v1/children/:childId/incidents', 'reportIncident', 'Report an incident: IncidentReported'],
  ['api/v1/children/:childId/incidents/:incidentId/notifications', 'notifyIncidentParty', 'Record that a party was notified: IncidentPartyNotified'],
  ['api/v1/children/:childId/incidents/:incidentId/resolution', 'resolveIncident', 'Resolve an incident: IncidentResolved'],
  ['api/v1/children/:childId/enrollment-changes', 'changeEnrollment', 'Transfer, dropout (辍学), return (劝返), graduation, promotion: EnrollmentChanged'],
  ['api/v1/children/:childId/left-behind-status/end', 'endLeftBehindStatus', 'End the left-behind status: LeftBehindStatusEnded'],
  ['api/v1/children/:childId/left-behind-status/resume', 'resumeLeftBehindStatus', 'Resume the left-behind status: LeftBehindStatusResumed'],
  ['api/v1/children/:childId/erasure', 'eraseChild', "Erase the child's personal data (crypto-shredding): PersonalDataErased"],
  ['api/v1/schools', 'registerSchool', 'Register a school: SchoolRegistered'],
  ['api/v1/schools/:schoolId/enrollment-reports', 'reportEnrollment', "Report a term's total pupils: EnrollmentReported"],
  ['api/v1/schools/:schoolId/care-homes', 'openCareHome', 'Open a care home (留守儿童之家): CareHomeOpened'],
  ['api/v1/schools/:schoolId/care-homes/:homeId/activities', 'holdCareHomeActivity', 'Record a care home activity: CareHomeActivityHeld'],
  ['api/v1/carers', 'registerCarer', 'Register a carer: CarerRegistered'],
  ['api/v1/carers/:carerId/retirement', 'retireCarer', 'Retire a carer: CarerRetired'],
  ['api/v1/carers/:carerId/erasure', 'eraseCarer', "Erase a carer's personal data: PersonalDataErased"],
];

/**
 * A controller with one POST endpoint per form, all alike (submit the form's event), so they are
 * generated from the table above rather than written out one by one.
 */
function formsController(tag: string, forms: readonly FormRoute[]): Type<unknown> {
  @ApiTags(tag)
  @Controller()
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

const isChildForm = ([path]: FormRoute) => path.startsWith('api/v1/children');
export const ChildFormsController = formsController('forms: children', FORM_ROUTES.filter(isChildForm));
export const SchoolFormsController = formsController('forms: schools and carers', FORM_ROUTES.filter((route) => !isChildForm(route)));
