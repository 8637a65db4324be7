/** The farm-inputs feature's public surface: other features import from here only. */
export { FarmInputsModule } from './farm-inputs.module';
export { FarmInputsService, type FarmInputView } from './farm-inputs.service';
export { InputApplicationsService, type InputApplicationView } from './input-applications.service';
export { PhiGateService, type GateSubject, GATE_CODES } from './phi-gate.service';
export { FARM_INPUTS_ERRORS } from './farm-inputs.errors';
